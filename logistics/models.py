"""Election logistics: what each TPS needs, the distribution chain, shipments and receipts.

The chain is KPU kab/kota warehouse -> PPK (kecamatan) -> PPS (desa/kelurahan) -> KPPS (TPS).
Stock at a node is never typed: it is derived from the shipments and receipts through it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import VersionedModel
from core.scoping import RestrictedQuerySet


class ItemKind(models.TextChoices):
    BALLOT = "ballot", _("Ballot papers (surat suara)")
    BOX = "box", _("Ballot box (kotak suara)")
    FORM = "form", _("Forms (C.Hasil etc.)")
    BOOTH = "booth", _("Voting booth (bilik suara)")
    INK = "ink", _("Ink (tinta)")
    SEAL = "seal", _("Seals (segel)")
    ENVELOPE = "envelope", _("Envelopes (sampul)")
    CABLE_TIE = "cable_tie", _("Cable ties")
    OTHER = "other", _("Other")


class Item(VersionedModel):
    """An item of the catalogue with its requirement rule per TPS.

    Either ``per_voter`` (ballots: DPT plus a reserve, rounded up) or a fixed ``per_tps`` count.
    Items tied to a contest (ballots, boxes, C.Hasil forms) are needed once per contest.
    """

    scope_capability = "logistics"
    scope_region_field = "election__region"
    scope_mode = "overlap"

    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="items", verbose_name=_("election")
    )
    contest = models.ForeignKey(
        "elections.Contest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("contest"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    per_voter = models.BooleanField(_("per registered voter"), default=False)
    reserve_percent = models.DecimalField(
        _("reserve (%)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2.5"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(50))],
    )
    per_tps = models.PositiveIntegerField(_("fixed count per TPS"), default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["election", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="item_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def region_code(self) -> str | None:
        """Who may edit it: KPU of the contest's region, or of the election's for common items."""
        if self.contest_id:
            return self.contest.region_id  # type: ignore[union-attr]
        return self.election.region_id

    @property
    def reserve_permille(self) -> int:
        return int(self.reserve_percent * 10)

    def required_for(self, dpt: int) -> int:
        """Quantity one TPS needs. Ballots: DPT + reserve, rounded up (552,469 × 1.025 ≈ 566,281)."""
        if self.per_voter:
            return -(-dpt * (1000 + self.reserve_permille) // 1000)
        return self.per_tps


class NodeLevel(models.IntegerChoices):
    WAREHOUSE = 1, _("KPU warehouse (kab/kota)")
    PPK = 2, _("PPK (kecamatan)")
    PPS = 3, _("PPS (desa/kelurahan)")
    KPPS = 4, _("KPPS (TPS)")


class TransportMode(models.TextChoices):
    TRUCK = "truck", _("Truck")
    CAR = "car", _("Car")
    MOTORBIKE = "motorbike", _("Motorbike")
    LONGBOAT = "longboat", _("Longboat")
    SPEEDBOAT = "speedboat", _("Speedboat")
    KETINTING = "ketinting", _("Ketinting (small river boat)")
    HELICOPTER = "helicopter", _("Helicopter")
    FOOT = "foot", _("On foot")


RIVER_MODES = {TransportMode.LONGBOAT, TransportMode.SPEEDBOAT, TransportMode.KETINTING}


class InboundState(models.TextChoices):
    NONE = "none", _("Nothing sent yet")
    ON_THE_WAY = "on_the_way", _("On the way")
    RECEIVED = "received", _("Received")


class Node(VersionedModel):
    """A point of the distribution chain: a warehouse, a PPK, a PPS or a KPPS (one per TPS)."""

    scope_capability = "logistics"
    scope_region_field = "region"

    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="+", verbose_name=_("election")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=NodeLevel.choices)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    polling_station = models.OneToOneField(
        "regions.PollingStation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="node",
        verbose_name=_("TPS"),
    )
    # The route goods normally arrive by (copied from Route) and where the inbound goods are
    # (kept by the actions): progress per level and risk are then one indexed query each.
    inbound_mode = models.CharField(_("inbound transport"), max_length=12, blank=True)
    inbound_minutes = models.PositiveIntegerField(_("inbound travel time (minutes)"), default=0)
    inbound_state = models.CharField(
        _("inbound goods"), max_length=10, choices=InboundState.choices, default=InboundState.NONE
    )
    inbound_eta = models.DateTimeField(_("expected arrival of goods on the way"), null=True, blank=True)
    # Derived backwards from the TPS deadline by ``logistics.targets``: when goods must be here
    # (a KPPS: the deadline; above: also in time for every node it serves), and the latest safe
    # dispatch towards it (due_at - the plan's buffer for the transport - the travel time, or the
    # last scheduled departure that makes it; ``rules.NO_SAFE_DISPATCH`` when none does). Null: no
    # route in yet.
    due_at = models.DateTimeField(_("due (target derived from the TPS deadline)"), null=True, blank=True)
    inbound_depart_by = models.DateTimeField(_("latest safe dispatch"), null=True, blank=True)

    class Meta:
        verbose_name = _("distribution node")
        verbose_name_plural = _("distribution nodes")
        ordering = ["election", "region_id", "level", "name"]
        indexes = [
            # a region's nodes (range on the code first), and the nodes in each state (risk); the
            # state leads so a GROUP BY level is not tempted to walk it for the whole nation
            models.Index(fields=["election", "region", "level"]),
            models.Index(fields=["election", "inbound_state", "level", "region"]),
        ]

    def __str__(self) -> str:
        return self.name


class RouteCondition(models.TextChoices):
    NONE = "", _("Passable")
    FLOOD = "flood", _("Flood")
    LOW_WATER = "low_water", _("Low water")
    RAPIDS = "rapids", _("Rapids impassable")


class Route(VersionedModel):
    """How goods travel from one node to the next, e.g. PPK Tabang -> PPS by ketinting, 6 h.

    A route is an ordered list of legs (``RouteLeg``: truck to the landing, then longboat, then
    ketinting). A route of one leg keeps it implicit in ``mode`` and ``travel_minutes``: the
    network of the nation is ~900,000 routes, nearly all of one leg, and a leg row for each would
    double what ``build_network`` writes and what every reader joins, for nothing they would show.
    With explicit legs, ``mode`` and ``travel_minutes`` summarise them (the transport whose overdue
    tolerance is longest, the travel and transshipment times added up).

    A condition (flood, low water, rapids) switches the plan to the alternative legs while it holds.
    """

    scope_capability = "logistics"
    scope_region_field = "destination__region"

    origin = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="routes_out", verbose_name=_("from"))
    destination = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="routes_in", verbose_name=_("to"))
    mode = models.CharField(_("transport"), max_length=12, choices=TransportMode.choices)
    travel_minutes = models.PositiveIntegerField(_("typical travel time (minutes)"))
    condition = models.CharField(
        _("condition"), max_length=10, choices=RouteCondition.choices, blank=True, default=RouteCondition.NONE
    )
    condition_note = models.CharField(_("condition note"), max_length=300, blank=True)
    condition_since = models.DateTimeField(_("condition since"), null=True, blank=True)

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        constraints = [models.UniqueConstraint(fields=["origin", "destination"], name="route_unique_pair")]

    def __str__(self) -> str:
        return f"{self.origin} → {self.destination}"

    def _legs(self, alternative: bool) -> list[RouteLeg]:
        return [leg for leg in self.legs.all() if leg.alternative == alternative]

    @property
    def main_legs(self) -> list[RouteLeg]:
        """The usual legs, explicit or the implicit one (unsaved) of a single-mode route."""
        return self._legs(False) or [RouteLeg(route=self, position=1, mode=self.mode, minutes=self.travel_minutes)]

    @property
    def alternative_legs(self) -> list[RouteLeg]:
        return self._legs(True)

    @property
    def uses_alternative(self) -> bool:
        """While a condition holds and there is an alternative, the plan goes by the alternative."""
        return bool(self.condition) and bool(self.alternative_legs)

    @property
    def plan_legs(self) -> list[RouteLeg]:
        """The legs the plan, the expected arrival and the overdue tolerance go by now."""
        return self.alternative_legs if self.uses_alternative else self.main_legs


class RouteLeg(models.Model):
    """One leg of a route: a transport between two transshipment points ("dermaga Kota Bangun").

    ``transfer_minutes`` is the time at the leg's start point before it leaves (unloading and
    loading onto the next boat). A scheduled leg has ``departures`` (times in the election's zone:
    weekly ``"mon 07:00"`` or once ``"2024-11-25 08:00"``): the goods leave at the first departure
    after they are ready, then travel ``minutes``.
    """

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "logistics"
    scope_region_field = "route__destination__region"

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="legs", verbose_name=_("route"))
    alternative = models.BooleanField(_("part of the alternative route"), default=False)
    position = models.PositiveSmallIntegerField(_("position"))
    mode = models.CharField(_("transport"), max_length=12, choices=TransportMode.choices)
    minutes = models.PositiveIntegerField(_("travel time (minutes)"))
    start_point = models.CharField(_("from (transshipment point)"), max_length=120, blank=True)
    end_point = models.CharField(_("to (transshipment point)"), max_length=120, blank=True)
    transfer_minutes = models.PositiveIntegerField(_("transshipment time before the leg (minutes)"), default=0)
    departures = models.JSONField(_("scheduled departures"), default=list, blank=True)

    class Meta:
        verbose_name = _("route leg")
        verbose_name_plural = _("route legs")
        ordering = ["route", "alternative", "position"]
        constraints = [
            models.UniqueConstraint(fields=["route", "alternative", "position"], name="route_leg_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_mode_display()}"

    def departure_labels(self) -> list[str]:
        """The departures in words, in the election's zone: "setiap Senin 07.00", "25 November 2024 08.00"."""
        from django.utils.dates import WEEKDAYS
        from django.utils.formats import time_format

        from core import formats

        out = []
        for d in self.departures:
            day, clock = d.split()
            t = dt.time.fromisoformat(clock)
            if len(day) == 3:
                weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(day)
                out.append(_("every %(day)s %(time)s") % {"day": WEEKDAYS[weekday], "time": time_format(t)})
            else:
                out.append(f"{formats.day(dt.date.fromisoformat(day))} {time_format(t)}")
        return out


class ShipmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DISPATCHED = "dispatched", _("Dispatched")
    ARRIVED = "arrived", _("Arrived")
    RECEIVED = "received", _("Received")
    PROBLEM = "problem", _("Problem")


# Statuses of a shipment whose goods have left the origin.
SENT = [ShipmentStatus.DISPATCHED, ShipmentStatus.ARRIVED, ShipmentStatus.RECEIVED, ShipmentStatus.PROBLEM]


class Shipment(VersionedModel):
    """Goods sent from one node to the next. A replacement for damaged/missing goods is one too."""

    scope_capability = "logistics"
    scope_region_field = "destination__region"

    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="+", verbose_name=_("election")
    )
    origin = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="shipments_out", verbose_name=_("from"))
    destination = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="shipments_in", verbose_name=_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=ShipmentStatus.choices, default=ShipmentStatus.PLANNED, db_index=True
    )
    is_return = models.BooleanField(_("return to the previous level"), default=False)
    replacement_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replacements",
        verbose_name=_("replacement for"),
    )
    escort = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("escort"),
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    expected_arrival = models.DateTimeField(_("expected arrival"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-id"]
        indexes = [models.Index(fields=["destination", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.origin} → {self.destination}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    # how many of the quantity travel inside the shipment's sealed packages; the rest is loose
    packed = models.PositiveIntegerField(_("inside sealed packages"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shipment", "item"], name="shipment_line_unique_item")]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"


class Receipt(models.Model):
    """The receiving end's count: what arrived in good order, damaged, missing; who signed."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "logistics"
    scope_region_field = "shipment__destination__region"

    shipment = models.OneToOneField(Shipment, on_delete=models.CASCADE, related_name="receipt")
    received_at = models.DateTimeField(_("received at"))
    receiver = models.CharField(_("received by"), max_length=150)
    # the other signatories of the berita acara serah terima: Bawaslu's supervisor (Panwascam,
    # PKD) and the escort (Polri/TNI)
    supervisor = models.CharField(_("Bawaslu supervisor"), max_length=150, blank=True)
    escort_officer = models.CharField(_("escort"), max_length=150, blank=True)
    photo = models.ImageField(_("photo of the receipt"), upload_to="receipts/%Y/%m/", null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    client_id = models.UUIDField(_("client id"), unique=True)
    recorded_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return f"{_('Receipt')} {self.shipment}"


class ReceiptLine(models.Model):
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    received = models.PositiveIntegerField(_("received in good order"))
    damaged = models.PositiveIntegerField(_("damaged"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["receipt", "item"], name="receipt_line_unique_item")]

    def __str__(self) -> str:
        return f"{self.item}: {self.received} / {self.damaged} / {self.missing}"


class Supply(models.Model):
    """Per TPS and item: what it needs and what reached it. Kept by the actions, rebuilt on demand.

    A denormalised row per (TPS, item) so a region's progress -- even the nation's 823,220 TPS --
    is one aggregate over an indexed range of desa codes.
    """

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "logistics"
    scope_region_field = "region"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="supplies")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="supplies")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    required = models.PositiveIntegerField(default=0)
    dispatched = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    damaged = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["node", "item"], name="supply_unique_node_item")]
        indexes = [models.Index(fields=["election", "region", "item"])]

    def __str__(self) -> str:
        return f"{self.node_id}/{self.item_id}: {self.received}/{self.required}"


# A tolerance longer than a week would never warn before voting day.
OVERDUE_MAX_MINUTES = 7 * 24 * 60


class Plan(VersionedModel):
    """The logistics deadlines of an election, in days before voting day (H-n)."""

    scope_capability = "logistics"
    scope_region_field = "election__region"
    scope_mode = "overlap"

    election = models.OneToOneField(
        "elections.Election", on_delete=models.CASCADE, related_name="logistics_plan", verbose_name=_("election")
    )
    ppk_due_days = models.PositiveSmallIntegerField(_("due at the kecamatan (H-n)"), default=4)
    pps_due_days = models.PositiveSmallIntegerField(_("due at the desa (H-n)"), default=2)
    kpps_due_days = models.PositiveSmallIntegerField(_("due at the TPS (H-n)"), default=1)
    photo_max_bytes = models.PositiveIntegerField(_("maximum photo size (bytes)"), default=5 * 1024 * 1024)
    # How long a dispatched shipment may go past its expected arrival without a receipt before it
    # is overdue ("no news"): a truck is predictable, a boat waits for water and weather, a
    # helicopter for its slot.
    overdue_road_minutes = models.PositiveIntegerField(
        _("overdue after, by road (minutes past the expected arrival)"),
        default=120,
        validators=[MaxValueValidator(OVERDUE_MAX_MINUTES)],
    )
    overdue_water_minutes = models.PositiveIntegerField(
        _("overdue after, by water (minutes past the expected arrival)"),
        default=360,
        validators=[MaxValueValidator(OVERDUE_MAX_MINUTES)],
    )
    overdue_air_minutes = models.PositiveIntegerField(
        _("overdue after, by air (minutes past the expected arrival)"),
        default=720,
        validators=[MaxValueValidator(OVERDUE_MAX_MINUTES)],
    )
    # The margin planned before a node's due time, by kind of transport: a truck is predictable,
    # a boat waits for water and weather, a helicopter for its slot. Latest safe dispatch = due
    # time - buffer - travel time (``logistics.targets``).
    buffer_road_minutes = models.PositiveIntegerField(
        _("safety margin by road (minutes before the due time)"),
        default=120,
        validators=[MaxValueValidator(OVERDUE_MAX_MINUTES)],
    )
    buffer_water_minutes = models.PositiveIntegerField(
        _("safety margin by water (minutes before the due time)"),
        default=240,
        validators=[MaxValueValidator(OVERDUE_MAX_MINUTES)],
    )
    buffer_air_minutes = models.PositiveIntegerField(
        _("safety margin by air (minutes before the due time)"),
        default=720,
        validators=[MaxValueValidator(OVERDUE_MAX_MINUTES)],
    )
    # When the nodes' due times were last derived for the whole election (None: never yet).
    targets_at = models.DateTimeField(null=True, blank=True, editable=False)
    targets_for = models.CharField(max_length=60, blank=True, editable=False)  # the voting day and zone
    # Set when the election's shipments and receipts are not users' records but a scenario (the
    # demo's): the logistics pages then say so next to the figures.
    source = models.ForeignKey(
        "core.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("source of the logistics records"),
    )

    class Meta:
        verbose_name = _("logistics plan")
        verbose_name_plural = _("logistics plans")

    def clean(self) -> None:
        # Goods go down the chain: the kecamatan is due no later than its desa, the desa no later
        # than its TPS, and the TPS by H-1 at the latest (the legal deadline).
        errors: dict[str, list[Any]] = {}
        if self.kpps_due_days < 1:
            errors["kpps_due_days"] = [_("The TPS are due by H-1 at the latest.")]
        if self.pps_due_days < self.kpps_due_days:
            errors["pps_due_days"] = [_("The desa cannot be due after its TPS.")]
        if self.ppk_due_days < self.pps_due_days:
            errors["ppk_due_days"] = [_("The kecamatan cannot be due after its desa.")]
        if self.ppk_due_days > 60:
            errors["ppk_due_days"] = [_("A deadline more than 60 days before voting day is not a distribution plan.")]
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return str(self.election)


class AlertKind(models.TextChoices):
    AT_RISK = "at_risk", _("At risk of missing the deadline")
    PROBLEM = "problem", _("Damaged or missing goods")
    LATE = "late", _("Received after the deadline")
    OVERDUE = "overdue", _("Overdue: no receipt past the expected arrival")
    CUSTODY = "custody", _("At the TPS too early (no secure storage)")


class Alert(models.Model):
    """Something the desk and KPU must look at, newest first."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "logistics"
    scope_region_field = "node__region"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("node"))
    shipment = models.ForeignKey(Shipment, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=10, choices=AlertKind.choices)
    message = models.CharField(_("message"), max_length=500)
    # when the situation arose (the receipt's time, the scan's "now"), not when the row was written
    created_at = models.DateTimeField(_("raised at"), default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.message


class LogisticsSummary(models.Model):
    """Nodes of one level of the chain over one region's subtree, kept by ``logistics.summaries``.

    One row per election × region (every level: the nation is level 0, code "") × chain level
    (PPK, PPS, KPPS; warehouses are not counted): how many nodes, how many have goods on the way
    or received, how many received, how many at risk. ``as_of`` is the clock the risk was judged
    by (the election's last full refresh, the periodic scan): the same for every row of an election.
    """

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    region_code = models.CharField(_("region code"), max_length=13, blank=True)
    level = models.PositiveSmallIntegerField(_("level of the region"))
    node_level = models.PositiveSmallIntegerField(_("level of the chain"), choices=NodeLevel.choices)
    total = models.PositiveIntegerField(default=0)
    dispatched = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    at_risk = models.PositiveIntegerField(default=0)
    as_of = models.DateTimeField(_("risk as of"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("logistics summary")
        verbose_name_plural = _("logistics summaries")
        constraints = [
            models.UniqueConstraint(fields=["election", "region_code", "node_level"], name="logistics_summary_unique"),
        ]
        indexes = [models.Index(fields=["election", "level", "region_code"])]

    def __str__(self) -> str:
        return f"{self.election_id} {self.region_code or '-'} {self.node_level}"


class StockKind(models.TextChoices):
    DELIVERED = "delivered", _("Delivered by the printer")
    DAMAGED = "damaged", _("Damaged at sorting and folding")
    REQUESTED = "requested", _("Replacement requested")
    REPLACED = "replaced", _("Replacement received")
    RESERVED = "reserved", _("Set aside for a re-vote (PSU)")


class StockEntry(models.Model):
    """One movement of the stock in a KPU warehouse, before distribution: the printer's delivery
    (with its berita acara terima), damage found while sorting and folding, a replacement asked of
    the procuring level and its arrival, or goods set aside for a re-vote.

    The warehouse's stock per item is derived from these rows (``logistics.selectors.stock``),
    never typed: good = delivered − damaged + replaced − reserved; spares = good − needed.
    """

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "logistics"
    scope_region_field = "warehouse__region"

    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="+", verbose_name=_("election")
    )
    warehouse = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="stock", verbose_name=_("warehouse"))
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+", verbose_name=_("item"))
    kind = models.CharField(_("movement"), max_length=10, choices=StockKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    at = models.DateTimeField(_("when"))
    document = models.CharField(_("berita acara / letter number"), max_length=100, blank=True)
    # who is asked for a replacement (the procuring level: KPU Provinsi for governor ballots)
    requested_from = models.CharField(_("asked of"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # set for rows no user entered (the demo's illustrative stock); empty for users' entries
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["warehouse", "item", "at", "id"]
        indexes = [models.Index(fields=["election", "warehouse", "item"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} {self.item}"


class Escort(models.Model):
    """A Polri or TNI unit's escort of one shipment, as the unit records it: the officer in charge,
    how many personnel, the vehicle or vessel. The escorting unit must cover the destination (the
    Polres follows jurisdiction: Muara Badak and Marang Kayu are Polres Bontang's)."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "logistics"
    scope_region_field = "shipment__destination__region"

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="escorts", verbose_name=_("shipment"))
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    officer = models.CharField(_("officer in charge"), max_length=150)
    personnel = models.PositiveSmallIntegerField(_("personnel"))
    vehicle = models.CharField(_("vehicle or vessel"), max_length=150, blank=True)
    at = models.DateTimeField(_("when"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("escort")
        verbose_name_plural = _("escorts")
        ordering = ["shipment", "at", "id"]
        constraints = [models.UniqueConstraint(fields=["shipment", "agency"], name="escort_one_per_unit")]

    def __str__(self) -> str:
        return f"{self.agency} · {self.officer}"


class SupervisionStage(models.TextChoices):
    DISPATCH = "dispatch", _("Dispatch (pelepasan)")
    HANDOVER = "handover", _("Hand-over (serah terima)")


class SupervisionFinding(models.TextChoices):
    IN_ORDER = "in_order", _("In order")
    REMARKS = "remarks", _("With remarks")


class Supervision(models.Model):
    """Bawaslu's supervision (Panwascam, PKD) of a shipment's dispatch or hand-over: who watched,
    what they found. Bawaslu signs the berita acara serah terima with the receiver and the escort."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "logistics"
    scope_region_field = "shipment__destination__region"

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("shipment")
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    supervisor = models.CharField(_("supervisor"), max_length=150)
    stage = models.CharField(_("stage"), max_length=10, choices=SupervisionStage.choices)
    finding = models.CharField(_("finding"), max_length=10, choices=SupervisionFinding.choices)
    at = models.DateTimeField(_("when"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["shipment", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "agency", "stage"], name="supervision_one_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_stage_display()}"


class FieldReportKind(models.TextChoices):
    ARRIVED = "arrived", _("Arrival confirmed")
    PROBLEM = "problem", _("Problem flagged")


class FieldReport(models.Model):
    """What the camat or the kepala desa sees of a shipment to their area: that it arrived, or a
    problem (a flooded road, a boat that did not come, boxes left unguarded). The camat "mengawal
    pengiriman logistik hingga ke tingkat desa dan kelurahan" (the Bupati's instruction)."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "logistics"
    scope_region_field = "shipment__destination__region"

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="field_reports", verbose_name=_("shipment")
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    kind = models.CharField(_("report"), max_length=10, choices=FieldReportKind.choices)
    message = models.CharField(_("what was seen"), max_length=500, blank=True)
    at = models.DateTimeField(_("when"))
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("report from the field")
        verbose_name_plural = _("reports from the field")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.agency}"


class PackageCondition(models.TextChoices):
    INTACT = "intact", _("Intact (utuh)")
    WET = "wet", _("Wet (basah)")
    SEAL_BROKEN = "seal_broken", _("Seal broken (segel rusak)")
    MISSING = "missing", _("Missing (hilang)")


# A box in these conditions is opened before the witnesses and what is inside is counted.
OPENED_CONDITIONS = (PackageCondition.WET, PackageCondition.SEAL_BROKEN)


class Package(models.Model):
    """A sealed ballot box (kotak suara) packed by KPU for one TPS and one contest: the ballots
    (DPT + reserve), the contest's forms and, in the TPS's first box, the common supplies (ink,
    seals, envelopes, cable ties); the TPS label outside, a numbered seal. Booths travel loose.
    What is inside is derived from the catalogue rules when the box is packed
    (``PackageContent``); PPK and PPS check the number of boxes and the seals, not the ballots."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "logistics"
    scope_region_field = "region"

    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="+", verbose_name=_("election")
    )
    contest = models.ForeignKey(
        "elections.Contest", on_delete=models.CASCADE, related_name="+", verbose_name=_("contest")
    )
    polling_station = models.ForeignKey(
        "regions.PollingStation", on_delete=models.CASCADE, related_name="packages", verbose_name=_("TPS")
    )
    # the TPS's desa, copied so a region's packages are a range on an indexed code
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    label = models.CharField(_("label on the box"), max_length=200)
    # the seal on the box now: the packing seal until it is opened and sealed again
    seal_number = models.CharField(_("seal number"), max_length=40)
    packed_at = models.DateTimeField(_("packed at"))

    class Meta:
        verbose_name = _("sealed package")
        verbose_name_plural = _("sealed packages")
        ordering = ["region_id", "polling_station_id", "contest_id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "seal_number"], name="package_unique_seal"),
            models.UniqueConstraint(fields=["polling_station", "contest"], name="package_one_per_tps_contest"),
        ]
        indexes = [models.Index(fields=["election", "region"])]

    def __str__(self) -> str:
        return f"{self.label} · {_('seal')} {self.seal_number}"


class PackageContent(models.Model):
    """What one box holds of one catalogue item, as packed."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="contents")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["package", "item"], name="package_content_unique_item")]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"


class ShipmentPackage(models.Model):
    """A sealed package carried by a shipment (its contents are also in the shipment's lines,
    counted as ``ShipmentLine.packed``)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="packages")
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="shipments")
    # The seal the box travels under on this leg, as its berita acara states it: the packing seal,
    # or a new one after the box was opened (for counting, or a wet box repacked at the PPK).
    seal_number = models.CharField(_("seal number"), max_length=40, blank=True)
    resealed = models.BooleanField(_("new seal on this leg"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shipment", "package"], name="shipment_package_unique")]

    def __str__(self) -> str:
        return f"{self.shipment_id}: {self.package}"


class ReceiptPackage(models.Model):
    """A package's condition at the hand-over, as the berita acara serah terima states it."""

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="packages")
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="+")
    condition = models.CharField(_("condition"), max_length=12, choices=PackageCondition.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["receipt", "package"], name="receipt_package_unique")]

    def __str__(self) -> str:
        return f"{self.package}: {self.get_condition_display()}"


class ReceiptPackageContent(models.Model):
    """What a wet box or one with a broken seal held when opened before the witnesses: per item,
    good and damaged; the rest of what was packed is missing."""

    receipt_package = models.ForeignKey(ReceiptPackage, on_delete=models.CASCADE, related_name="found")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    good = models.PositiveIntegerField(_("good"))
    damaged = models.PositiveIntegerField(_("damaged"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["receipt_package", "item"], name="receipt_found_unique_item")]

    def __str__(self) -> str:
        return f"{self.item}: {self.good} / {self.damaged}"
