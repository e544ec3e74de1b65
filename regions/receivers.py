"""Keep the per-region summaries in step with the TPS registry.

``tps_changed`` arrives inside the writer's transaction: the receiver only enqueues the
follow-up job (regions/jobs.py), which commits with the change and runs in the worker.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from regions.jobs import enqueue_refresh
from regions.signals import tps_changed


@receiver(tps_changed)
def refresh_summaries(sender: Any, election: Any, village_codes: set[str], **kwargs: Any) -> None:
    enqueue_refresh(election, village_codes)
