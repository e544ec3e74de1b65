from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions and TPS")

    def ready(self) -> None:
        from regions import receivers, registry  # noqa: F401  (tps_changed receiver; fills core.registry)
