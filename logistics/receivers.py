"""Keep the per-TPS requirements in step when the TPS registry changes.

``tps_changed`` arrives inside the writer's transaction: the receiver only enqueues the
follow-up job (logistics/jobs.py), which commits with the change and runs in the worker.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from regions.signals import tps_changed


@receiver(tps_changed)
def refresh_requirements(sender: Any, election: Any, village_codes: set[str], **kwargs: Any) -> None:
    from logistics.jobs import enqueue_refresh

    enqueue_refresh(election, village_codes)
