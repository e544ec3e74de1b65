"""Background jobs of the TPS registry (run by the ``run_jobs`` worker, see core/jobs.py)."""

from __future__ import annotations

from core import jobs
from elections.models import Election
from regions import summaries

REFRESH = "regions.refresh_summaries"
# A change touching more desa than this refreshes the whole election's summaries in one job.
PER_DESA_LIMIT = 50


def enqueue_refresh(election: Election, village_codes: set[str]) -> None:
    """One pending job per (election, desa); a wide change (an import), one for the election.

    Keys are paths (see core.jobs): ``"<election>"`` covers ``"<election>/<desa>"``.
    """
    if len(village_codes) > PER_DESA_LIMIT:
        jobs.enqueue(REFRESH, str(election.pk), election=election.pk)
        return
    for code in sorted(village_codes):
        jobs.enqueue(REFRESH, f"{election.pk}/{code}", election=election.pk, region=code)


@jobs.job(REFRESH)
def refresh_summaries(election: int, region: str | None = None) -> None:
    """Recompute the summary rows of one desa and its ancestors, or of the whole election.

    Idempotent: the rows are recomputed from the registry, so running it twice changes nothing.
    """
    target = Election.objects.filter(pk=election).first()
    if target is not None:
        summaries.refresh(target, {region} if region else None)
