from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _lazy

        from core.registry import NavEntry, registry

        registry.nav.append(NavEntry(_lazy("Changes"), "core:audit", None, order=90))
        registry.permission_cases.append("core.tests.permission_cases")
