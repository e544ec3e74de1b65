"""Read-side queries for elections: which election a page is about."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from core.dates import today
from core.provenance import Reference
from elections.models import Election, ReferenceFigure


def visible_elections(user: Any) -> Any:
    """Elections the user may see; the public sees every election (they are public facts)."""
    if user is not None and user.is_authenticated:
        return Election.objects.restrict(user)
    return Election.objects.all()


def current_election(request: HttpRequest, election_id: int | str | None = None) -> Election | None:
    """The election a page or API call is about: the one asked for, else the current one.

    Asked for by ``election_id`` (API) or ``?election=ID`` (pages). One the user may not see, or
    that does not exist, is a 404 -- never a silent fall-back to another election.
    """
    qs = visible_elections(getattr(request, "user", None)).select_related("region")
    if election_id is None:
        election_id = request.GET.get("election") or None
    if election_id is not None:
        try:
            pk = int(election_id)
        except (TypeError, ValueError):
            raise Http404(_("No such election.")) from None
        found = qs.filter(pk=pk).first()
        if found is None:
            raise Http404(_("No such election."))
        return found
    return Election.current(qs)


def election_or_404(request: HttpRequest, election_id: int | str | None = None) -> Election:
    """``current_election``, or a 404 that says no election is set up yet."""
    election = current_election(request, election_id)
    if election is None:
        raise Http404(_("No election is set up yet."))
    return election


def public_election(election_id: int | str | None) -> Election:
    """The election a public page or API answer is about: the one asked for, else the current one
    (public figures need no login, so any election may be asked for); a 404 when there is none."""
    if election_id is not None and str(election_id).isdigit():
        found = Election.objects.filter(pk=int(election_id)).first()
    elif election_id is None or election_id == "":
        found = Election.current()
    else:
        found = None
    if found is None:
        raise Http404(_("No such election.") if election_id else _("No election is set up yet."))
    return found


def reference_figures(election: Election | None, codes: Iterable[str]) -> dict[tuple[str, str], list[Reference]]:
    """The figures sources state for these regions, as of the desk's today: {(code, figure): [...]}.

    A source dated after today is not shown yet (the PSU's 1,447 TPS appear in 2025, not before).
    """
    out: dict[tuple[str, str], list[Reference]] = defaultdict(list)
    codes = [c for c in codes if c]
    if election is None or not codes:
        return out
    rows = ReferenceFigure.objects.filter(
        election=election, region_id__in=codes, source__as_of__lte=today()
    ).select_related("source")
    for r in rows:
        out[(r.region_id, r.figure)].append(Reference(r.value, r.source))
    return out
