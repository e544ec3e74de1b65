from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import formats
from core.forms import SpreadsheetField
from logistics import rules
from logistics.models import (
    OPENED_CONDITIONS,
    FieldReportKind,
    Item,
    Node,
    Package,
    PackageCondition,
    Plan,
    RouteCondition,
    StockKind,
    SupervisionFinding,
    SupervisionStage,
    TransportMode,
)

INTACT, SHORT = "intact", "short"


class ReceiptForm(forms.Form):
    """Confirming a shipment on a phone: per item one tap for "intact and complete, as shipped", or
    the counts of what arrived good, damaged and missing; who received; a photo of the receipt.

    Nothing is prefilled and no choice is made in advance: a count the form typed would invite
    confirming without counting. The counts of a line appear only once it is marked as not intact
    (CSS ``:checked``, no script).
    """

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    received_at = forms.DateTimeField(
        label=_("Received at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    receiver = forms.CharField(label=_("Received by"), max_length=150)
    # the berita acara's other signatories, asked for when sealed packages are handed over
    supervisor = forms.CharField(label=_("Bawaslu supervisor (Panwascam/PKD)"), max_length=150, required=False)
    escort_officer = forms.CharField(label=_("Escort (Polri/TNI officer)"), max_length=150, required=False)
    photo = forms.ImageField(label=_("Photo of the signed receipt"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, items: list[tuple[Item, int]], packages: list[Package] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.packages = packages or []
        for package in self.packages:
            # one tap for "intact"; a box that is not shows its contents to count once opened
            self.fields[f"package_{package.pk}"] = forms.ChoiceField(
                label=package.label,
                choices=PackageCondition.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Tap “intact”, or say what is wrong with the box.")},
            )
            for content in package.contents.all():
                for part, label in (("good", _("good")), ("damaged", _("damaged"))):
                    self.fields[f"p{part}_{package.pk}_{content.item_id}"] = forms.IntegerField(
                        label=f"{package.label} — {content.item.name} — {label}",
                        required=False,
                        min_value=0,
                        max_value=rules.MAX_QUANTITY,
                        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                    )
        for item, _shipped in items:
            self.fields[f"state_{item.pk}"] = forms.ChoiceField(
                label=item.name,
                choices=[(INTACT, _("Intact and complete, as shipped")), (SHORT, _("Damaged, missing or fewer"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose “intact and complete, as shipped”, or count what arrived.")},
            )
            for part, label in (("good", _("good")), ("damaged", _("damaged")), ("missing", _("missing"))):
                self.fields[f"{part}_{item.pk}"] = forms.IntegerField(
                    label=f"{item.name} — {label}",
                    required=False,
                    min_value=0,
                    max_value=rules.MAX_QUANTITY,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )

    def clean_photo(self) -> Any:
        # Size and type are checked by the action with the plan's limit; Django's ImageField
        # rejects non-images already with its own message.
        return self.cleaned_data.get("photo")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for item, shipped in self.items:
            if data.get(f"state_{item.pk}") != SHORT:
                continue
            good = f"good_{item.pk}"
            if data.get(good) is None:
                if good not in self.errors:
                    self.add_error(good, _("How many arrived in good order? Write 0 if none."))
                continue
            counted = data[good] + (data.get(f"damaged_{item.pk}") or 0) + (data.get(f"missing_{item.pk}") or 0)
            if counted > shipped:
                self.add_error(
                    good,
                    _("%(n)s counted but only %(s)s were shipped.")
                    % {"n": formats.number(counted), "s": formats.number(shipped)},
                )
        return data

    def package_rows(self) -> list[tuple[Package, Any, list[tuple[Any, Any, Any]]]]:
        """Per package: its condition buttons and, per content item, the good and damaged counts."""
        return [
            (
                p,
                self[f"package_{p.pk}"],
                [
                    (c, self[f"pgood_{p.pk}_{c.item_id}"], self[f"pdamaged_{p.pk}_{c.item_id}"])
                    for c in p.contents.all()
                ],
            )
            for p in self.packages
        ]

    def package_reports(self) -> dict[int, tuple[str, dict[int, tuple[int, int]] | None]]:
        """Each package's condition and, for an opened box, what was found (a blank count is
        left out, and the action asks for it)."""
        d = self.cleaned_data
        out: dict[int, tuple[str, dict[int, tuple[int, int]] | None]] = {}
        for p in self.packages:
            condition = d[f"package_{p.pk}"]
            found = None
            if condition in OPENED_CONDITIONS:
                found = {
                    c.item_id: (d[f"pgood_{p.pk}_{c.item_id}"], d.get(f"pdamaged_{p.pk}_{c.item_id}") or 0)
                    for c in p.contents.all()
                    if d.get(f"pgood_{p.pk}_{c.item_id}") is not None
                }
            out[p.pk] = (condition, found)
        return out

    def line_rows(self) -> list[tuple[Item, int, Any, Any, Any, Any]]:
        return [
            (
                item,
                shipped,
                self[f"state_{item.pk}"],
                self[f"good_{item.pk}"],
                self[f"damaged_{item.pk}"],
                self[f"missing_{item.pk}"],
            )
            for item, shipped in self.items
        ]

    def lines(self) -> dict[Item, tuple[int, int, int]]:
        """Good, damaged, missing per item: a line marked intact holds what was shipped."""
        d = self.cleaned_data
        out = {}
        for item, shipped in self.items:
            if d[f"state_{item.pk}"] == INTACT:
                out[item] = (shipped, 0, 0)
            else:
                out[item] = (d[f"good_{item.pk}"], d.get(f"damaged_{item.pk}") or 0, d.get(f"missing_{item.pk}") or 0)
        return out

    def error_summary(self) -> list[tuple[str, str]]:
        """Each problem with the id of the field to fix (the form's own id for the others), for
        the list the page opens at after a refused attempt."""
        out = [("receipt-form", str(e)) for e in self.non_field_errors()]
        lines = [f"{part}_{item.pk}" for item, _s in self.items for part in ("state", "good", "damaged", "missing")]
        boxes = [
            name
            for p in self.packages
            for name in [
                f"package_{p.pk}",
                *(f"p{part}_{p.pk}_{c.item_id}" for c in p.contents.all() for part in ("good", "damaged")),
            ]
        ]
        signatories = ["supervisor", "escort_officer"]
        # in the order the page shows the fields
        for name in ["client_id", "received_at", "receiver", *signatories, *boxes, *lines, "photo", "note"]:
            bound = self[name]
            # a group of radio buttons has no element of its own id: point at the first button
            radios = isinstance(self.fields[name].widget, forms.RadioSelect)
            anchor = f"{bound.auto_id}_0" if radios else bound.auto_id
            label = self.fields[name].label
            if bound.is_hidden:  # the submission id: nothing to fix on the page but to send it again
                anchor, label = "receipt-form", None
            out += [(anchor, f"{label}: {e}" if label else str(e)) for e in bound.errors]
        return out

    @staticmethod
    def local(moment: Any) -> str:
        """The desk's "now" as the datetime-local input expects it."""
        return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


class ShipmentForm(forms.Form):
    destination = forms.ModelChoiceField(queryset=Node.objects.none(), label=_("To"))
    with_packages = forms.BooleanField(
        label=_("Carry the sealed packages of the TPS below the destination (those not yet sent to it)"),
        required=False,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, destinations: Any, items: list[tuple[Item, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination"].queryset = destinations  # type: ignore[attr-defined]
        self.items = items
        for item, suggested in items:
            self.fields[f"qty_{item.pk}"] = forms.IntegerField(
                label=item.name, required=False, initial=suggested or None, max_value=rules.MAX_QUANTITY
            )

    def lines(self) -> dict[Item, int]:
        out: dict[Item, int] = {}
        for item, _s in self.items:
            q = self.cleaned_data.get(f"qty_{item.pk}")
            if q is not None and q != 0:
                out[item] = int(q)
        return out

    def qty_fields(self) -> list[Any]:
        return [self[f"qty_{item.pk}"] for item, _s in self.items]


class SendBackForm(forms.Form):
    """After the count, the boxes a node holds go back up the chain in one shipment that leaves
    now. A KPPS opened its boxes to count: each gets the new seal put on it (one field per box)."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    dispatched_at = forms.DateTimeField(
        label=_("Leaves at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, packages: list[Package], resealed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.packages = packages
        self.resealed = resealed
        if resealed:
            for p in packages:
                self.fields[f"seal_{p.pk}"] = forms.CharField(
                    label=_("New seal on %(label)s") % {"label": p.label}, max_length=40
                )

    def seal_fields(self) -> list[Any]:
        return [self[f"seal_{p.pk}"] for p in self.packages] if self.resealed else []

    def new_seals(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[f"seal_{p.pk}"] for p in self.packages} if self.resealed else {}


class RouteForm(forms.Form):
    mode = forms.ChoiceField(choices=TransportMode.choices, label=_("Transport"))
    travel_minutes = forms.IntegerField(
        min_value=rules.MIN_TRAVEL_MINUTES,
        max_value=rules.MAX_TRAVEL_MINUTES,
        label=_("Typical travel time (minutes)"),
    )


class RouteLegsForm(forms.Form):
    """A route's legs on a phone: a few rows of transport, time, from and to, and departures for a
    scheduled leg; rows left without a transport are not legs. Then the alternative's rows."""

    MAIN_ROWS, ALTERNATIVE_ROWS = 4, 2

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        modes = [("", "—"), *TransportMode.choices]
        for prefix, rows in (("leg", self.MAIN_ROWS), ("alt", self.ALTERNATIVE_ROWS)):
            for i in range(1, rows + 1):
                p = f"{prefix}{i}_"
                self.fields[p + "mode"] = forms.ChoiceField(choices=modes, required=False, label=_("Transport"))
                self.fields[p + "minutes"] = forms.IntegerField(
                    required=False, min_value=0, max_value=10**9, label=_("Travel time (minutes)")
                )
                self.fields[p + "start_point"] = forms.CharField(
                    required=False, max_length=120, label=_("From (landing, airstrip)")
                )
                self.fields[p + "end_point"] = forms.CharField(required=False, max_length=120, label=_("To"))
                self.fields[p + "transfer_minutes"] = forms.IntegerField(
                    required=False, min_value=0, max_value=10**9, label=_("Transshipment before (minutes)")
                )
                self.fields[p + "scheduled"] = forms.BooleanField(
                    required=False, label=_("Leaves only at scheduled departures")
                )
                self.fields[p + "departures"] = forms.CharField(
                    required=False,
                    max_length=2000,
                    label=_("Departures (one per line: “Senin 07.00” every week, “2024-11-25 08.00” once)"),
                    widget=forms.Textarea(attrs={"rows": 2, "cols": 20}),
                )

    @classmethod
    def initial_for(cls, legs: list[Any], alternative: list[Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for prefix, rows in (("leg", legs), ("alt", alternative)):
            for i, leg in enumerate(rows, start=1):
                p = f"{prefix}{i}_"
                initial |= {
                    p + "mode": leg.mode,
                    p + "minutes": leg.minutes,
                    p + "start_point": leg.start_point,
                    p + "end_point": leg.end_point,
                    p + "transfer_minutes": leg.transfer_minutes or None,
                    p + "scheduled": bool(leg.departures),
                    p + "departures": "\n".join(leg.departures),
                }
        return initial

    def _rows(self, prefix: str, count: int) -> list[dict[str, Any]]:
        out = []
        for i in range(1, count + 1):
            p = f"{prefix}{i}_"
            data = self.cleaned_data
            if not data.get(p + "mode"):
                continue
            texts = [t.strip() for t in (data.get(p + "departures") or "").replace(",", "\n").splitlines() if t.strip()]
            leg: dict[str, Any] = {
                "mode": data[p + "mode"],
                "minutes": data.get(p + "minutes"),
                "start_point": data.get(p + "start_point", ""),
                "end_point": data.get(p + "end_point", ""),
                "transfer_minutes": data.get(p + "transfer_minutes") or 0,
            }
            if texts or data.get(p + "scheduled"):
                leg |= {"scheduled": True, "departures": texts}
            out.append(leg)
        return out

    def legs(self) -> list[dict[str, Any]]:
        return self._rows("leg", self.MAIN_ROWS)

    def alternative(self) -> list[dict[str, Any]]:
        return self._rows("alt", self.ALTERNATIVE_ROWS)

    def groups(self) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
        """For the template: (heading, [(number, bound fields of the row)])."""
        names = ("mode", "minutes", "start_point", "end_point", "transfer_minutes", "scheduled", "departures")
        return [
            (
                str(heading),
                [(i, [self[f"{prefix}{i}_{n}"] for n in names]) for i in range(1, rows + 1)],
            )
            for heading, prefix, rows in (
                (_("Legs, in order"), "leg", self.MAIN_ROWS),
                (_("Alternative route (used while a condition holds)"), "alt", self.ALTERNATIVE_ROWS),
            )
        ]


class RouteConditionForm(forms.Form):
    condition = forms.ChoiceField(choices=RouteCondition.choices, required=False, label=_("Condition"))
    condition_note = forms.CharField(required=False, max_length=300, label=_("What is happening"))
    condition_since = forms.DateTimeField(
        required=False,
        label=_("Since"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ManifestImportForm(forms.Form):
    file = SpreadsheetField(label=_("Manifest (XLSX or CSV)"))


class ItemForm(forms.ModelForm):
    """A catalogue item and its requirement rule; the version detects concurrent edits."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Item
        fields = ["name", "unit", "per_voter", "reserve_percent", "per_tps", "order"]


class PlanForm(forms.ModelForm):
    """The election's deadlines (H-n per level), safety margins and overdue tolerances; the version detects
    concurrent edits (required: a form without it would overwrite whatever was saved meanwhile)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Plan
        fields = ["ppk_due_days", "pps_due_days", "kpps_due_days", *rules.BUFFER_FIELDS, *rules.TOLERANCE_FIELDS]


class StockForm(forms.Form):
    """A movement of a warehouse's stock: the printer's delivery, sorting damage, a replacement."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Movement"), choices=StockKind.choices)
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.none())
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=rules.MAX_QUANTITY,
        localize=True,  # "1.500" is one thousand five hundred, as the page writes it
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    document = forms.CharField(label=_("Berita acara / letter number"), required=False, max_length=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, election: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.filter(election=election).order_by("order", "code")  # type: ignore[attr-defined]


class EscortForm(forms.Form):
    """A Polri/TNI unit's escort of a shipment, on a phone."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    officer = forms.CharField(label=_("Officer in charge (rank, name)"), max_length=150)
    personnel = forms.IntegerField(
        label=_("Personnel"), min_value=1, max_value=1000, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    vehicle = forms.CharField(label=_("Vehicle or vessel"), required=False, max_length=150)
    at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class SupervisionForm(forms.Form):
    """Bawaslu's supervision of a dispatch or a hand-over."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    supervisor = forms.CharField(label=_("Supervisor (name, Panwascam/PKD)"), max_length=150)
    stage = forms.ChoiceField(label=_("Stage"), choices=SupervisionStage.choices)
    finding = forms.ChoiceField(label=_("Finding"), choices=SupervisionFinding.choices)
    at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class FieldReportForm(forms.Form):
    """The camat or kepala desa: the goods arrived, or something is wrong."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Report"), choices=FieldReportKind.choices, widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("What was seen"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )


class PackForm(forms.Form):
    """Packing the sealed boxes of an area, with the first number of a roll of seals."""

    seal_prefix = forms.CharField(label=_("Seal prefix"), required=False, max_length=20)
    first_seal = forms.IntegerField(
        label=_("First seal number"),
        min_value=1,
        max_value=rules.MAX_SEAL,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
