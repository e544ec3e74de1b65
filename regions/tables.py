from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core import formats
from regions.models import PollingStation


class PollingStationTable(tables.Table):
    number = tables.Column(linkify=True, verbose_name=_("TPS"))
    village = tables.Column(accessor="village__name", verbose_name=_("Desa/kelurahan"), order_by="village__name")
    kecamatan = tables.Column(accessor="village__parent__name", verbose_name=_("Kecamatan"), orderable=False)
    dpt = tables.Column(
        empty_values=(),
        verbose_name=_("DPT"),
        order_by=("dpt_male",),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    dpt_male = tables.Column(verbose_name=_("L"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    dpt_female = tables.Column(verbose_name=_("P"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    access_mode = tables.Column(verbose_name=_("Access"))
    travel_minutes = tables.Column(
        verbose_name=_("Travel time"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )

    class Meta:
        model = PollingStation
        fields = ["number", "village", "kecamatan", "dpt", "dpt_male", "dpt_female", "access_mode", "travel_minutes"]
        order_by = ("village", "number")

    def render_dpt(self, record: PollingStation) -> int:
        return record.dpt

    def render_travel_minutes(self, value: int) -> str:
        return formats.duration(value)
