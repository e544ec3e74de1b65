from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.utils.translation import gettext_lazy as _lazy

        from core import import_runs  # noqa: F401  (registers the background import job)
        from core.jobs import may_manage
        from core.middleware import mark_session_fresh
        from core.registry import NavEntry, registry

        user_logged_in.connect(mark_session_fresh, dispatch_uid="core.mark_session_fresh")

        registry.nav.append(NavEntry(_lazy("Changes"), "core:audit", None, order=90))
        # The Desk admins' own pages, offered to those the pages let in (the pages check may_manage too).
        registry.nav.append(NavEntry(_lazy("Background jobs"), "core:jobs", None, order=95, condition=may_manage))
        registry.nav.append(NavEntry(_lazy("Locked accounts"), "core:lockouts", None, order=96, condition=may_manage))
        registry.permission_cases.append("core.tests.permission_cases")
