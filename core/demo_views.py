"""The demo clock switch: a Desk admin moves the demo to another moment of Pilkada 2024."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import demo


@login_required
@require_POST
def set_moment(request: HttpRequest) -> HttpResponse:
    try:
        moment = dt.datetime.fromisoformat(request.POST.get("moment", ""))
    except ValueError:
        moment = None
    try:
        if moment is None or moment.tzinfo is None:
            raise ValidationError({"moment": [_("Choose one of the demo's moments.")]})
        demo.set_moment(request.user, moment)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        label = dict(demo.MOMENTS)[moment]
        messages.success(request, _("The demo now shows %(moment)s.") % {"moment": label})
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return redirect(target)


def clock_context(request: HttpRequest) -> dict[str, object]:
    """The banner: which moment the demo shows, and the switch for those who may move it."""
    from django.conf import settings

    if not settings.DEMO:
        return {}
    current = demo.current_moment()
    return {
        "DEMO_CLOCK": {
            "moment": current,
            "moments": [(m.isoformat(), label, m == current) for m, label in demo.MOMENTS],
            "can_set": demo.may_set_moment(getattr(request, "user", None)),
        }
    }
