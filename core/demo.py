"""The demo: each capability contributes its part through ``registry.demo_loaders``.

``load()`` calls every loader in order inside one transaction, passing a shared context dict
(the election, the logins to print, what each part made). Loading twice changes nothing.
"""

from __future__ import annotations

import math
from typing import Any

from django.db import transaction

from core.registry import registry


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that sum exactly to it."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(x) for x in raw]
    rest = total - sum(out)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[:rest]:
        out[i] += 1
    return out


@transaction.atomic
def load() -> dict[str, Any]:
    ctx: dict[str, Any] = {"logins": []}
    for loader in registry.sorted("demo_loaders"):
        ctx[loader.name] = loader.load(ctx)
    for builder in registry.summaries:  # whatever the demo wrote, the summaries end up exact
        builder.rebuild()
    return ctx
