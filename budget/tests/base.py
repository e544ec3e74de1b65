"""The grant of Kukar as the tests build it: the Desk (the Pemda) records, KPU Kukar receives."""

from __future__ import annotations

import datetime as dt
from typing import Any

from agencies.models import Agency
from budget import actions
from budget.models import Agreement, Tranche
from regions.models import Region
from tests.base import SinergiTestCase


class BudgetTestCase(SinergiTestCase):
    kukar: Region
    kpu: Agency
    bawaslu: Agency
    polres: Agency

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.kukar = Region.objects.get(code="64.02")
        cls.kpu = Agency.objects.get(name="KPU Kukar")
        cls.bawaslu = Agency.objects.get(name="Bawaslu Kukar")
        cls.polres = Agency.objects.get(name="Polres Kukar")

    def data(self, **kw: Any) -> dict[str, Any]:
        return {
            "region": self.kukar,
            "agency": self.kpu,
            "number": "001/NPHD/2024",
            "signed_on": dt.date(2024, 3, 1),
            "amount": 10_000_000_000,
            "purpose": "Penyelenggaraan Pilkada",
            "budget_source": "APBD 2024",
            "amends": None,
            "lpj_due": None,
            **kw,
        }

    def agreement(self, **kw: Any) -> Agreement:
        return actions.create_agreement(self.desk_admin, self.election, self.data(**kw))

    def paid(self, agreement: Agreement, amount: int, on: dt.date) -> Tranche:
        tranche = actions.add_tranche(self.desk_admin, agreement, agreement.signed_on, amount)
        return actions.disburse(self.desk_admin, tranche, on, amount, tranche.version)

    def report(self, agreement: Agreement, up_to: dt.date, submitted: dt.date, **kw: Any) -> Any:
        data = {"period_end": up_to, "submitted_on": submitted, "lines": {"honorarium": 1_000_000_000}, **kw}
        return actions.report(self.kpu_operator, agreement, data)
