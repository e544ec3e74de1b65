"""Background jobs of the TPS registry (run by the ``run_jobs`` worker, see core/jobs.py)."""

from __future__ import annotations

from core import jobs
from elections.models import Election
from regions import summaries

REFRESH = "regions.refresh_summaries"
# A change touching more desa than this refreshes the whole election's summaries in one job.
PER_DESA_LIMIT = 50


def enqueue_refresh(election: Election, village_codes: set[str]) -> None:
    """One pending job per (election, desa); a change of more than PER_DESA_LIMIT desa, one job."""
    jobs.enqueue_per_area(REFRESH, election.pk, village_codes, limit=PER_DESA_LIMIT)


@jobs.job(REFRESH)
def refresh_summaries(election: int, region: str | None = None) -> None:
    """Recompute the summary rows of one desa and its ancestors, or of the whole election.

    Idempotent: the rows are recomputed from the registry, so running it twice changes nothing.
    """
    target = Election.objects.filter(pk=election).first()
    if target is not None:
        summaries.refresh(target, {region} if region else None)
