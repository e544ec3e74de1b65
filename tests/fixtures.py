"""Test helpers: a small but real slice of the region tree and the desk's personas.

Personas (as in STYLE.md): the Kukar Desk Pilkada admin, a KPU Kukar logistics operator, a
Bawaslu Kukar case-handling officer (Bawaslu has no investigators), a Polres Kukar officer,
the camat of Sebulu, and the public.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from agencies.models import Agency, AgencyKind, Membership, Role
from core.registry import registry
from elections.models import Contest, ContestKind, Election, ElectionKind, Stage
from regions.models import PollingStation, Region, derive

REGIONS = [
    ("64", "Kalimantan Timur", -0.5, 116.5),
    ("64.02", "Kabupaten Kutai Kartanegara", -0.4, 116.6),
    ("64.02.07", "Sebulu", -0.28, 117.06),
    ("64.02.07.2001", "Sebulu Ilir", -0.28, 117.06),
    ("64.02.07.2002", "Sebulu Ulu", -0.27, 117.05),
    ("64.02.06", "Tenggarong", -0.42, 116.98),
    ("64.02.06.1001", "Melayu", -0.42, 116.98),
    ("64.02.12", "Tabang", 0.6, 116.0),
    ("64.02.12.2001", "Tabang Lama", 0.6, 116.0),
    # Muara Badak and Marang Kayu: Kukar, but under Polres Bontang (FACTS.md)
    ("64.02.05", "Muara Badak", -0.3, 117.4),
    ("64.02.05.2003", "Muara Badak Ulu", -0.3, 117.4),
    ("64.02.17", "Marang Kayu", 0.0, 117.4),
    ("64.74", "Kota Bontang", 0.13, 117.48),
    ("64.74.01", "Bontang Utara", 0.15, 117.48),
    ("64.74.01.1001", "Bontang Kuala", 0.14, 117.5),
    ("64.72", "Kota Samarinda", -0.5, 117.15),
    ("64.72.01", "Palaran", -0.58, 117.2),
    ("64.72.01.1001", "Rawa Makmur", -0.58, 117.2),
    ("64.01", "Kabupaten Paser", -1.8, 116.2),
    ("64.01.01", "Batu Sopang", -1.9, 116.0),
    ("64.01.01.2011", "Batu Kajang", -1.9, 116.0),
    ("31", "DKI Jakarta", -6.2, 106.8),
]
PASSWORD = "test-pass-2024"


def make_regions() -> None:
    for code, name, lat, lng in REGIONS:
        level, kind, parent = derive(code, name)
        Region.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": level, "kind": kind, "parent_id": parent, "lat": lat, "lng": lng},
        )


def make_election() -> Election:
    election, _ = Election.objects.get_or_create(
        name="Pilkada Serentak 2024 — Kalimantan Timur",
        defaults={"kind": ElectionKind.PILKADA, "region_id": "64", "voting_date": dt.date(2024, 11, 27)},
    )
    Stage.objects.get_or_create(
        election=election, name="Kampanye", start=dt.date(2024, 9, 25), end=dt.date(2024, 11, 23)
    )
    Stage.objects.get_or_create(
        election=election, name="Masa tenang", start=dt.date(2024, 11, 24), end=dt.date(2024, 11, 26)
    )
    Stage.objects.get_or_create(
        election=election, name="Pemungutan suara", start=dt.date(2024, 11, 27), end=dt.date(2024, 11, 27)
    )
    Contest.objects.get_or_create(
        election=election, kind=ContestKind.REGENT, region_id="64.02", name="Bupati Kukar 2024"
    )
    Contest.objects.get_or_create(
        election=election, kind=ContestKind.MAYOR, region_id="64.72", name="Walikota Samarinda 2024"
    )
    return election


def make_tps(election: Election, village: str, number: str = "001", **kw: Any) -> PollingStation:
    defaults = {"dpt_male": 200, "dpt_female": 190, "lat": -0.3, "lng": 117.0}
    defaults.update(kw)
    tps = PollingStation.objects.create(election=election, village_id=village, number=number, **defaults)
    rebuild_summaries()  # a fixture written straight to the table, past the action's tps_changed
    return tps


def rebuild_summaries() -> None:
    """Recompute every registered summary (after test data was written past the actions)."""
    for builder in registry.summaries:
        builder.rebuild()


PERSONAS = {
    # name: (agency name, kind, agency region, role, scope)
    "desk_admin": ("Desk Pilkada Kukar", AgencyKind.DESK, "64.02", Role.ADMIN, "64.02"),
    "kpu_operator": ("KPU Kukar", AgencyKind.KPU, "64.02", Role.OPERATOR, "64.02"),
    "bawaslu_investigator": ("Bawaslu Kukar", AgencyKind.BAWASLU, "64.02", Role.OPERATOR, "64.02"),
    "polres_officer": ("Polres Kukar", AgencyKind.POLRI, "64.02", Role.OPERATOR, "64.02"),
    "camat_sebulu": ("Kecamatan Sebulu", AgencyKind.KECAMATAN, "64.02.07", Role.ADMIN, "64.02.07"),
}


def make_personas() -> dict[str, Any]:
    User = get_user_model()
    out: dict[str, Any] = {}
    for name, (agency_name, kind, region, role, scope) in PERSONAS.items():
        agency, _ = Agency.objects.get_or_create(name=agency_name, defaults={"kind": kind, "region_id": region})
        user, created = User.objects.get_or_create(username=name)
        if created:
            user.set_password(PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, agency=agency, defaults={"role": role, "scope_id": scope})
        out[name] = user
    Agency.objects.get_or_create(name="KPU Samarinda", defaults={"kind": AgencyKind.KPU, "region_id": "64.72"})
    return out


def make_reader(username: str = "dprd_member") -> Any:
    """A DPRD member: reads what the desk shows in Kukar and can write nothing at all."""
    agency, _ = Agency.objects.get_or_create(
        name="DPRD Kabupaten Kutai Kartanegara", defaults={"kind": AgencyKind.DPRD, "region_id": "64.02"}
    )
    user, _ = get_user_model().objects.get_or_create(username=username)
    Membership.objects.get_or_create(user=user, agency=agency, defaults={"role": Role.VIEWER, "scope_id": "64.02"})
    return user
