"""The demo's agencies and personas: the Kukar desk and the Kaltim desk, with one login per role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext

from agencies.models import Agency, AgencyKind, Membership, Role

DEMO_PASSWORD = "sinergi-demo-2024"
PROVINCE = "64"
KUKAR = "64.02"
SEBULU = "64.02.07"
SEBULU_ILIR = "64.02.07.2005"
MUARA_BADAK = "64.02.05"
MARANG_KAYU = "64.02.17"
BONTANG = "64.74"

PERSONAS = [
    # username, full name, agency, role, scope, title
    (
        "desk.kukar",
        "Admin Desk Pilkada Kukar",
        "Desk Pilkada Kabupaten Kutai Kartanegara",
        Role.ADMIN,
        KUKAR,
        "Kesbangpol Kukar",
    ),
    (
        "kpu.kukar",
        "Operator Logistik KPU Kukar",
        "KPU Kabupaten Kutai Kartanegara",
        Role.OPERATOR,
        KUKAR,
        "Operator logistik",
    ),
    (
        "bawaslu.kukar",
        "Staf Penanganan Pelanggaran Bawaslu Kukar",
        "Bawaslu Kabupaten Kutai Kartanegara",
        Role.OPERATOR,
        KUKAR,
        "Staf penanganan pelanggaran",
    ),
    # scope None: the agency's whole jurisdiction
    ("polres.kukar", "Perwira Polres Kukar", "Polres Kutai Kartanegara", Role.OPERATOR, None, "Kabag Ops"),
    ("polres.bontang", "Perwira Polres Bontang", "Polres Bontang", Role.OPERATOR, None, "Kabag Ops"),
    ("camat.sebulu", "Camat Sebulu", "Kecamatan Sebulu", Role.ADMIN, SEBULU, "Camat"),
    ("ppk.sebulu", "Ketua PPK Sebulu", "PPK Sebulu", Role.OPERATOR, SEBULU, "Ketua PPK"),
    # the last mile: the kepala desa and the KPPS of TPS 001 confirm what reaches Sebulu Ilir
    ("kades.sebuluilir", "Kepala Desa Sebulu Ilir", "Desa Sebulu Ilir", Role.OPERATOR, SEBULU_ILIR, "Kepala desa"),
    ("kpps.sebuluilir", "Ketua KPPS Sebulu Ilir", "KPPS Sebulu Ilir", Role.OPERATOR, SEBULU_ILIR, "Ketua KPPS"),
    (
        "desk.kaltim",
        "Admin Desk Pilkada Kaltim",
        "Desk Pilkada Provinsi Kalimantan Timur",
        Role.ADMIN,
        PROVINCE,
        "Kesbangpol Kaltim",
    ),
    ("kpu.samarinda", "Operator KPU Samarinda", "KPU Kota Samarinda", Role.OPERATOR, "64.72", "Operator data"),
]
AGENCIES = [
    ("Desk Pilkada Provinsi Kalimantan Timur", AgencyKind.DESK, PROVINCE),
    ("KPU Provinsi Kalimantan Timur", AgencyKind.KPU, PROVINCE),
    ("Bawaslu Provinsi Kalimantan Timur", AgencyKind.BAWASLU, PROVINCE),
    ("Polda Kalimantan Timur", AgencyKind.POLRI, PROVINCE),
    ("Desk Pilkada Kabupaten Kutai Kartanegara", AgencyKind.DESK, KUKAR),
    ("KPU Kabupaten Kutai Kartanegara", AgencyKind.KPU, KUKAR),
    ("Bawaslu Kabupaten Kutai Kartanegara", AgencyKind.BAWASLU, KUKAR),
    ("Polres Kutai Kartanegara", AgencyKind.POLRI, KUKAR),
    ("Kodim 0906/Kutai Kartanegara", AgencyKind.TNI, KUKAR),
    ("Kejaksaan Negeri Kutai Kartanegara", AgencyKind.KEJAKSAAN, KUKAR),
    ("DPRD Kabupaten Kutai Kartanegara", AgencyKind.DPRD, KUKAR),
    ("Kecamatan Sebulu", AgencyKind.KECAMATAN, SEBULU),
    ("PPK Sebulu", AgencyKind.PPK, SEBULU),
    ("Desa Sebulu Ilir", AgencyKind.DESA, SEBULU_ILIR),
    ("KPPS Sebulu Ilir", AgencyKind.KPPS, SEBULU_ILIR),
    ("KPU Kota Samarinda", AgencyKind.KPU, "64.72"),
    ("Polres Bontang", AgencyKind.POLRI, BONTANG),
    ("Kodim 0908/Bontang", AgencyKind.TNI, BONTANG),
]
# Police and army areas cross the administrative tree (FACTS.md): Muara Badak and Marang Kayu
# (146 Kukar TPS) are under Polres Bontang and Kodim 0908/Bontang; Polres Kukar and Kodim 0906
# cover the other 18 Kukar kecamatan.
KUKAR_KECAMATAN = [f"{KUKAR}.{i:02d}" for i in range(1, 21)]
BONTANG_AREA = [BONTANG, MUARA_BADAK, MARANG_KAYU]
JURISDICTIONS = {
    "Polres Bontang": BONTANG_AREA,
    "Kodim 0908/Bontang": BONTANG_AREA,
    "Polres Kutai Kartanegara": [k for k in KUKAR_KECAMATAN if k not in (MUARA_BADAK, MARANG_KAYU)],
    "Kodim 0906/Kutai Kartanegara": [k for k in KUKAR_KECAMATAN if k not in (MUARA_BADAK, MARANG_KAYU)],
}


def load(ctx: dict[str, Any]) -> dict[str, Agency]:
    agencies = {}
    for name, kind, region in AGENCIES:
        agencies[name], _ = Agency.objects.update_or_create(
            name=name, defaults={"kind": kind, "region_id": region, "jurisdiction": JURISDICTIONS.get(name, [])}
        )
    User = get_user_model()
    for username, full, agency, role, scope, title in PERSONAS:
        user, created = User.objects.get_or_create(username=username)
        first, _, last = full.partition(" ")
        user.first_name, user.last_name = first, last
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.update_or_create(
            user=user, agency=agencies[agency], defaults={"role": role, "scope_id": scope, "title": title}
        )
    ctx["password"] = DEMO_PASSWORD
    whole = gettext("whole jurisdiction")
    ctx["logins"].extend((u, full, agency, role, scope or whole) for u, full, agency, role, scope, _t in PERSONAS)
    return agencies
