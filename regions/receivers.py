"""Keep the per-region summaries in step with the TPS registry."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from regions import summaries
from regions.signals import tps_changed


@receiver(tps_changed)
def refresh_summaries(sender: Any, election: Any, village_codes: set[str], **kwargs: Any) -> None:
    summaries.refresh(election, village_codes)
