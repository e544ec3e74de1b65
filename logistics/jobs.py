"""Background jobs of logistics (run by the ``run_jobs`` worker, see core/jobs.py)."""

from __future__ import annotations

from django.db.models import Q

from core import jobs
from core.dates import now as desk_now
from core.scoping import subtree_q
from elections.models import Election
from logistics.models import Item, Node, NodeLevel
from regions.models import PollingStation, Region

REFRESH = "logistics.refresh_requirements"
# A change touching more desa than this refreshes the whole election in one job.
PER_DESA_LIMIT = 50


def enqueue_refresh(election: Election, village_codes: set[str]) -> None:
    """One pending job per (election, desa); a wide change, one job for the whole election.

    Keys are paths (see core.jobs): ``"<election>"`` covers ``"<election>/<desa>"``.
    """
    if len(village_codes) > PER_DESA_LIMIT:
        jobs.enqueue(REFRESH, str(election.pk), election=election.pk)
        return
    for code in sorted(village_codes):
        jobs.enqueue(REFRESH, f"{election.pk}/{code}", election=election.pk, region=code)


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
    return rebuild_supply(target, region=region)


def scan_all_risks() -> int:
    """The periodic scan: raise at-risk alerts in every election whose chain is built."""
    from logistics.actions import scan_risks

    raised = 0
    built = Node.objects.filter(Q(level=NodeLevel.WAREHOUSE)).values("election_id")
    for election in Election.objects.filter(pk__in=built).order_by("pk"):
        raised += scan_risks(election, desk_now(election.timezone))
    return raised
