from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = _("Grants")

    def ready(self) -> None:
        from budget import registry  # noqa: F401  (fills core.registry)
