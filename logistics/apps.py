from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = _("Logistics")

    def ready(self) -> None:
        from logistics import (
            receivers,  # noqa: F401  (connects to regions.signals.tps_changed)
            registry,  # noqa: F401  (fills core.registry; registers the job handlers)
        )
