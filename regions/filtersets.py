from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.scoping import subtree_q
from regions.models import AccessMode, PollingStation


class PollingStationFilterSet(django_filters.FilterSet):
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
        q = Q(address__icontains=value) | Q(village__name__icontains=value) | Q(village_id=value)
        if value.isdigit():
            q |= Q(number=f"{int(value):03d}")
        return qs.filter(q)

    def in_region(self, qs: QuerySet[PollingStation], name: str, value: Any) -> QuerySet[PollingStation]:
        return qs.filter(subtree_q("village", value.strip())) if value else qs
