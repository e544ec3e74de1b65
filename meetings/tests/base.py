"""A Kukar rakor on 18 Nov 2024 with KPU Kukar and Polres Kukar invited, for the meetings tests."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from agencies.models import Agency
from core import dates
from meetings import actions
from meetings.models import Meeting, MeetingKind
from regions.models import Region
from tests.base import SinergiTestCase

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
TODAY = "2024-11-18"


def wita(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2024, month, day, hour, 0, tzinfo=WITA)


class MeetingsTestCase(SinergiTestCase):
    desk: Agency
    kpu: Agency
    polres: Agency
    bawaslu: Agency
    kukar: Region
    rakor: Meeting

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.desk = Agency.objects.get(name="Desk Pilkada Kukar")
        cls.kpu = Agency.objects.get(name="KPU Kukar")
        cls.polres = Agency.objects.get(name="Polres Kukar")
        cls.bawaslu = Agency.objects.get(name="Bawaslu Kukar")
        cls.kukar = Region.objects.get(code="64.02")
        cls.rakor = cls.meeting(wita(11, 9), "Rakor integritas Pilkada Kukar", invited=[cls.kpu, cls.polres])

    @classmethod
    def meeting(cls, at: dt.datetime, title: str, invited: list[Agency] = (), **kw: Any) -> Meeting:  # type: ignore[assignment]
        data = {
            "kind": MeetingKind.RAKOR,
            "title": title,
            "election": cls.election,
            "region": kw.pop("region", None) or Region.objects.get(code="64.02"),
            "organiser": Agency.objects.get(name="Desk Pilkada Kukar"),
            "chair": "Sekda Kukar",
            "starts_at": at,
            "venue": "Pendopo Wakil Bupati, Tenggarong",
            **kw,
        }
        return actions.create_meeting(cls.personas["desk_admin"], data, list(invited))

    def action(
        self, meeting: Meeting, title: str, owner: Agency, due: dt.date, at: dt.datetime | None = None, **kw: Any
    ) -> Any:
        """An action set at ``meeting`` (entered at its start, unless ``at`` says when)."""
        with dates.pinned(at or meeting.starts_at):
            decision = actions.add_decision(self.desk_admin, meeting, f"Keputusan: {title}")
            return actions.add_action(self.desk_admin, decision, {"title": title, "owner": owner, "due": due, **kw})
