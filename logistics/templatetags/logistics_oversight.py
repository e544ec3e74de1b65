"""``{% shipment_oversight shipment %}``: who escorted and who supervised a shipment, and the
links to record it for the Polri/TNI units and Bawaslu that may."""

from __future__ import annotations

from typing import Any

from django import template

from core import scoping
from logistics import selectors

register = template.Library()


@register.inclusion_tag("logistics/_oversight.html", takes_context=True)
def shipment_oversight(context: dict[str, Any], shipment: Any) -> dict[str, Any]:
    user = context["request"].user
    region = shipment.destination.region_id
    on_its_way = shipment.status != "planned"
    return {
        "shipment": shipment,
        **selectors.oversight(shipment),
        "can_escort": on_its_way and scoping.can(user, "logistics_escort", scoping.CHANGE, region),
        "can_supervise": on_its_way and scoping.can(user, "logistics_supervision", scoping.CHANGE, region),
        "can_report": on_its_way and scoping.can(user, "logistics_field", scoping.CHANGE, region),
    }
