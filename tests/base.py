from __future__ import annotations

from typing import Any

from django.test import TestCase

from elections.models import Election
from regions.models import PollingStation
from tests import fixtures


class SinergiTestCase(TestCase):
    """Base for tests: a slice of Kaltim, the demo election and the six personas."""

    election: Election
    personas: dict[str, Any]
    desk_admin: Any
    kpu_operator: Any
    bawaslu_investigator: Any
    polres_officer: Any
    camat_sebulu: Any
    tps_sebulu: PollingStation
    tps_tenggarong: PollingStation
    tps_samarinda: PollingStation

    @classmethod
    def setUpTestData(cls) -> None:
        fixtures.make_regions()
        cls.election = fixtures.make_election()
        cls.personas = fixtures.make_personas()
        cls.desk_admin = cls.personas["desk_admin"]
        cls.kpu_operator = cls.personas["kpu_operator"]
        cls.bawaslu_investigator = cls.personas["bawaslu_investigator"]
        cls.polres_officer = cls.personas["polres_officer"]
        cls.camat_sebulu = cls.personas["camat_sebulu"]
        cls.tps_sebulu = fixtures.make_tps(cls.election, "64.02.07.2001", "001")
        cls.tps_tenggarong = fixtures.make_tps(cls.election, "64.02.06.1001", "001")
        cls.tps_samarinda = fixtures.make_tps(cls.election, "64.72.01.1001", "001", dpt_male=300, dpt_female=290)
