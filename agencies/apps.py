from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies and access")

    def ready(self) -> None:
        from agencies import registry  # noqa: F401  (fills core.registry)
