"""Background jobs of logistics (run by the ``run_jobs`` worker, see core/jobs.py)."""

from __future__ import annotations

from django.db.models import Q

from core import jobs
from core.dates import now as desk_now
from core.scoping import subtree_q
from elections.models import Election
from logistics import summaries
from logistics.models import Item, Node, NodeLevel
from regions.models import PollingStation, Region

REFRESH = "logistics.refresh_requirements"
SUMMARIES = "logistics.refresh_summaries"
# A change touching more desa than this refreshes the whole election in one job.
PER_DESA_LIMIT = 50


def enqueue_refresh(election: Election, village_codes: set[str]) -> None:
    """One pending job per (election, desa); a change of more than PER_DESA_LIMIT desa, one job."""
    jobs.enqueue_per_area(REFRESH, election.pk, village_codes, limit=PER_DESA_LIMIT)


def enqueue_item_rebuild(item: Item) -> None:
    jobs.enqueue(REFRESH, f"{item.election_id}/item-{item.pk}", election=item.election_id, item=item.pk)


@jobs.job(REFRESH)
def refresh_requirements(election: int, region: str | None = None, item: int | None = None) -> int:
    """Give new TPS their KPPS node and routes, move the KPPS node of a TPS moved to another desa,
    then recompute the Supply rows of ``region`` (a desa, or the whole election) or of one
    ``item``. Idempotent: running it twice changes nothing."""
    from logistics.actions import build_network, moved_kpps, rebuild_supply, relocate_moved_kpps

    target = Election.objects.filter(pk=election).first()
    if target is None or not Item.objects.filter(election=target).exists():
        return 0
    if item is not None:
        items = Item.objects.filter(pk=item, election=target).select_related("contest")
        return rebuild_supply(target, items=items) if items else 0
    networks = set(Node.objects.filter(election=target, level=NodeLevel.WAREHOUSE).values_list("region_id", flat=True))
    if not networks:
        return 0
    new = PollingStation.objects.filter(election=target, node__isnull=True)
    if region:
        new = new.filter(subtree_q("village", region))
    kabkota = {code[:5] for code in new.values_list("village_id", flat=True).distinct()}
    kabkota |= {code[:5] for code in moved_kpps(target, region).values_list("polling_station__village_id", flat=True)}
    for kab in sorted(kabkota & networks):
        build_network(target, Region.objects.get(code=kab))
    relocate_moved_kpps(target, region)
    written = rebuild_supply(target, region=region)
    # nodes came or went with the TPS (a deleted TPS takes its KPPS node along)
    summaries.refresh(target, {region} if region else None)
    return written


def enqueue_summaries(election: Election | int, region_codes: set[str] | None) -> None:
    """After node states changed: one pending job per (election, region), or one for the election.

    Call inside the writer's transaction; keys are paths (``"<election>"`` covers the others).
    """
    election_id = election if isinstance(election, int) else election.pk
    if region_codes is None:
        jobs.enqueue(SUMMARIES, str(election_id), election=election_id)
        return
    jobs.enqueue_per_area(SUMMARIES, election_id, region_codes, limit=PER_DESA_LIMIT)


@jobs.job(SUMMARIES)
def refresh_summaries(election: int, region: str | None = None) -> None:
    """Recompute the logistics summary rows of one region and its ancestors, or of the election.
    Idempotent: the rows are recomputed from the nodes."""
    summaries.refresh(election, {region} if region else None)


def scan_all_risks() -> int:
    """The periodic scan: raise at-risk alerts in every election whose chain is built."""
    from logistics.actions import scan_risks

    raised = 0
    built = Node.objects.filter(Q(level=NodeLevel.WAREHOUSE)).values("election_id")
    for election in Election.objects.filter(pk__in=built).order_by("pk"):
        now = desk_now(election.timezone)
        raised += scan_risks(election, now)
        summaries.refresh(election, now=now)  # the panels' "at risk" as of this scan
    return raised
