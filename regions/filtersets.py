from __future__ import annotations

import re
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.scoping import subtree_q
from regions.models import AccessMode, PollingStation

REGION_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


class PollingStationFilterSet(django_filters.FilterSet):
    """The one TPS search, used by the TPS page and by the API list."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = django_filters.CharFilter(method="in_region", label=_("Region code"))
    access_mode = django_filters.ChoiceFilter(choices=AccessMode.choices, label=_("Access"))
    special_location = django_filters.BooleanFilter(label=_("Lokasi khusus"))

    class Meta:
        model = PollingStation
        fields = ["q", "region", "access_mode", "special_location"]

    def search(self, qs: QuerySet[PollingStation], name: str, value: str) -> QuerySet[PollingStation]:
        value = value.strip()
        if not value:
            return qs
        q = Q(address__icontains=value) | Q(village__name__icontains=value) | Q(village__parent__name__icontains=value)
        if REGION_CODE.match(value):
            q |= subtree_q("village", value)
        if value.isdigit():
            q |= Q(number=f"{int(value):03d}")
        return qs.filter(q)

    def in_region(self, qs: QuerySet[PollingStation], name: str, value: Any) -> QuerySet[PollingStation]:
        return qs.filter(subtree_q("village", value.strip())) if value else qs
