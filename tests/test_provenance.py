"""Every figure that no user entered says where it comes from: official, estimated or illustrative,
with its source and "as of" date; disagreeing sources are both shown; later sources stay hidden."""

from __future__ import annotations

import datetime as dt

from django.test import Client, override_settings

from core.models import Source, SourceStatus
from elections.models import Figure, ReferenceFigure
from regions.models import PollingStation
from tests.base import SinergiTestCase
from tests.fixtures import rebuild_summaries


def source(key: str, status: str, as_of: dt.date, publisher: str = "KPU Provinsi Kalimantan Timur") -> Source:
    return Source.objects.create(key=key, status=status, publisher=publisher, title=key, as_of=as_of)


class ProvenanceTest(SinergiTestCase):
    spread: Source

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        announcement = source("tps-16-sep", SourceStatus.OFFICIAL, dt.date(2024, 9, 16))
        plenary = source("dpt-plenary-22-sep", SourceStatus.OFFICIAL, dt.date(2024, 9, 22))
        psu = source("kukar-psu", SourceStatus.OFFICIAL, dt.date(2025, 4, 19), "KPU Kabupaten Kutai Kartanegara")
        cls.spread = source("demo-spread", SourceStatus.ILLUSTRATIVE, dt.date(2024, 9, 22), "Sinergi (demo)")
        for src, code, figure, value in (
            (announcement, "64", Figure.TPS, 6_264),
            (plenary, "64", Figure.TPS, 6_274),
            (plenary, "64", Figure.DPT, 2_821_202),
            (announcement, "64.02", Figure.TPS, 2),
            (psu, "64.02", Figure.TPS, 1_447),
        ):
            ReferenceFigure.objects.create(
                election=cls.election, region_id=code, figure=figure, value=value, source=src
            )

    def setUp(self) -> None:
        self.client.force_login(self.camat_sebulu)

    def test_the_province_shows_both_official_tps_counts_and_that_they_disagree(self) -> None:
        r = self.client.get("/regions/64/")
        self.assertContains(r, 'data-testid="prov-official"', count=3)  # TPS and DPT cards, Kukar's row
        self.assertContains(r, "6.264")
        self.assertContains(r, "6.274")
        self.assertContains(r, 'data-testid="prov-disagree"', count=1)
        # the registry (3 TPS in the test slice) is neither: the page says what it adds up to
        self.assertContains(r, "Registri TPS di Sinergi berjumlah 3.")
        self.assertContains(r, 'data-testid="prov-legend"')

    def test_a_source_dated_after_the_desks_today_is_not_shown_yet(self) -> None:
        with override_settings(SINERGI_TODAY="2024-11-18"):
            r = self.client.get("/regions/64.02/")
        self.assertNotContains(r, "1.447")
        self.assertContains(r, 'data-testid="prov-official"', count=1)
        with override_settings(SINERGI_TODAY="2025-05-01"):
            r = self.client.get("/regions/64.02/")
        self.assertContains(r, "1.447")
        self.assertContains(r, 'data-testid="prov-disagree"')

    def test_illustrative_tps_rows_are_labelled_on_the_desa_and_in_the_parents_table(self) -> None:
        PollingStation.objects.filter(pk=self.tps_sebulu.pk).update(source=self.spread)
        rebuild_summaries()
        desa = self.client.get("/regions/64.02.07.2001/")
        self.assertContains(desa, 'data-testid="prov-illustrative"')
        self.assertContains(desa, "Sinergi (demo)")
        kecamatan = self.client.get("/regions/64.02/")
        rows = {child.code: b for child, _, b in kecamatan.context["rows"]}
        self.assertEqual(rows["64.02.07"]["tps"].status, "illustrative")
        self.assertIsNone(rows["64.02.06"]["tps"])  # Tenggarong's TPS were entered by users

    def test_totals_of_users_entries_carry_no_badge(self) -> None:
        r = self.client.get("/regions/64.72/")
        self.assertNotContains(r, '<details class="prov')
        self.assertNotContains(r, 'data-testid="prov-legend"')

    def test_the_public_api_returns_the_same_provenance(self) -> None:
        body = Client().get(f"/api/v1/public/regions/64?election={self.election.pk}").json()
        tps = body["provenance"]["tps"]
        self.assertEqual(tps["status"], "official")
        self.assertEqual(
            [(r["value"], r["as_of"]) for r in tps["references"]], [(6264, "2024-09-16"), (6274, "2024-09-22")]
        )
        self.assertTrue(tps["sources_disagree"])
        self.assertEqual((tps["registry_total"], tps["registry_differs"]), (3, True))
        self.assertIsNone(body["provenance"]["dpt_male"])
        kukar = {c["code"]: c for c in body["children"]}["64.02"]
        self.assertEqual(kukar["provenance"]["tps"]["references"][0]["value"], 2)
        self.assertFalse(kukar["provenance"]["tps"]["registry_differs"])
