"""Provenance of a figure shown on a page or returned by the public API.

A page shows live totals from Sinergi's registries. Next to a total it says where that kind of
figure comes from: the reference figures a source states for the region (official, estimated or
illustrative, with publisher and "as of" date), whether the sources disagree, and whether the
registry's own total differs from them. A total with no reference and registry rows that are
illustrative (the demo's spread) is labelled illustrative. A total that only adds up users' own
entries carries no badge: it is their data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.models import Source, SourceStatus

# Which status speaks for a figure when several sources are known: the strongest.
RANK = {SourceStatus.OFFICIAL: 0, SourceStatus.ESTIMATED: 1, SourceStatus.ILLUSTRATIVE: 2}
LABELS = {
    SourceStatus.OFFICIAL: _("official"),
    SourceStatus.ESTIMATED: _("estimated"),
    SourceStatus.ILLUSTRATIVE: _("illustrative"),
}


@dataclass
class Reference:
    value: int
    source: Source


@dataclass
class Badge:
    status: str
    references: list[Reference] = field(default_factory=list)
    registry_value: int | None = None
    registry_source: Source | None = None

    @property
    def label(self) -> Any:
        return LABELS[SourceStatus(self.status)]

    @property
    def disagree(self) -> bool:
        """Two sources state different values for the same figure (both are shown)."""
        return len({r.value for r in self.references}) > 1

    @property
    def differs(self) -> bool:
        """The registry's total is none of the values the sources state."""
        return (
            bool(self.references)
            and self.registry_value is not None
            and self.registry_value not in {r.value for r in self.references}
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "references": [{"value": r.value, **r.source.as_dict()} for r in self.references],
            "sources_disagree": self.disagree,
            "registry_total": self.registry_value,
            "registry_differs": self.differs,
            "registry_source": self.registry_source.as_dict() if self.registry_source else None,
        }


def badge(
    references: Iterable[Reference], registry_value: int | None = None, registry_source: Source | None = None
) -> Badge | None:
    """The badge of one figure: its references (oldest first) and the registry's total."""
    refs = sorted(references, key=lambda r: (r.source.as_of, r.source.key))
    if refs:
        status = min((r.source.status for r in refs), key=lambda s: RANK[SourceStatus(s)])
        return Badge(status, refs, registry_value, registry_source)
    if registry_source is not None:
        return Badge(registry_source.status, [], registry_value, registry_source)
    return None
