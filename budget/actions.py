"""The write path for grants: agreements (NPHD) and their addenda, tranches and disbursements, LPJ
due dates, the recipients' realisation reports and the figures sources quote.

Each function checks the actor's right (``core.scoping``), validates everything first and writes
nothing when something is wrong, writes in one transaction and records the audit row in it.
``actor=None`` is the demo loader and the tests' fixtures. The Pemda (the Desk, with its finance
office) writes agreements, tranches and LPJ due dates; a realisation report is written only by the
recipient agency of the agreement.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.models import Agreement, Category, CitedFigure, Document, Line, Realisation, Tranche
from budget.money import rupiah
from core import audit, dates, documents, formats, scoping
from core.actions import ConcurrentEditError, update_versioned
from core.models import Source, SourceStatus

MAX_AMOUNT = 10**15  # Rp 1 juta miliar: far above any grant, below the column's limit
MAX_DOCUMENTS = 10
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
RECIPIENT_KINDS = (scoping.KPU, scoping.BAWASLU, scoping.POLRI, scoping.TNI)
AGREEMENT_FIELDS = [
    "region",
    "agency",
    "number",
    "signed_on",
    "amount",
    "purpose",
    "budget_source",
    "amends",
    "lpj_due",
]
ONLY_DESK = gettext_lazy("Only the Pemda (the Desk Pilkada) of the granting region records its grant agreements.")
ONLY_RECIPIENT = gettext_lazy("Only the recipient agency of this agreement reports on its realisation.")


def _amount(value: Any, field: str, errors: dict[str, list[str]], *, positive: bool = True) -> int:
    if value is None or value == "":
        errors[field] = [_("Give the amount in whole rupiah.")]
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = [_("Give the amount in whole rupiah.")]
        return 0
    if value < 0:
        errors[field] = [_("An amount cannot be negative.")]
    elif positive and value == 0:
        errors[field] = [_("The amount must be more than zero.")]
    elif value > MAX_AMOUNT:
        errors[field] = [_("The amount is too large.")]
    return value


def _date(value: Any, field: str, errors: dict[str, list[str]]) -> bool:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[field] = [_("Give the date.")]
        return False
    return True


def _not_future(value: dt.date, field: str, errors: dict[str, list[str]]) -> None:
    today = dates.today()
    if value > today:
        errors.setdefault(field, []).append(_("The day cannot be after today (%(d)s).") % {"d": formats.day(today)})


# --- agreements --------------------------------------------------------------------------------


def agreement_errors(election: Any, data: dict[str, Any]) -> dict[str, list[str]]:
    """Everything wrong with a new agreement, by field (nothing is written while any is)."""
    errors: dict[str, list[str]] = {}
    region, agency, amends = data.get("region"), data.get("agency"), data.get("amends")
    if region is None:
        errors["region"] = [_("Give the granting region.")]
    elif region.level > 2 or not scoping.in_subtree(str(region.pk), str(election.region_id)):
        errors["region"] = [_("The granting region is the province or a kabupaten/kota of the election.")]
    if agency is None:
        errors["agency"] = [_("Choose the recipient agency.")]
    elif agency.kind not in RECIPIENT_KINDS:
        errors["agency"] = [_("A grant goes to KPU, Bawaslu, Polri or TNI.")]
    number = (data.get("number") or "").strip()
    if not number or len(number) > 120:
        errors["number"] = [_("Give the agreement number (at most 120 characters).")]
    elif region is not None and Agreement.objects.filter(election=election, region=region, number=number).exists():
        errors["number"] = [_("An agreement with this number is already recorded.")]
    purpose = (data.get("purpose") or "").strip()
    if not purpose or len(purpose) > 300:
        errors["purpose"] = [_("Say what the grant is for (at most 300 characters).")]
    if len((data.get("budget_source") or "").strip()) > 120:
        errors["budget_source"] = [_("At most %(n)s characters.") % {"n": 120}]
    _amount(data.get("amount"), "amount", errors)
    signed: Any = data.get("signed_on")
    if _date(signed, "signed_on", errors):
        _not_future(signed, "signed_on", errors)
        if amends is not None and signed < amends.signed_on:
            errors.setdefault("signed_on", []).append(
                _("An addendum cannot be signed before the agreement it amends (%(d)s).")
                % {"d": formats.day(amends.signed_on)}
            )
        due = data.get("lpj_due")
        if due is not None and (not isinstance(due, dt.date) or due < signed):
            errors["lpj_due"] = [_("The LPJ cannot be due before the agreement is signed.")]
    if amends is not None and (
        amends.election_id != election.pk
        or (region is not None and amends.region_id != region.pk)
        or (agency is not None and amends.agency_id != agency.pk)
    ):
        errors["amends"] = [_("An addendum amends an agreement of the same election, region and recipient.")]
    return errors


def create_agreement(actor: Any, election: Any, data: dict[str, Any], *, source: Any = None) -> Agreement:
    """The Desk records an agreement (or an addendum, ``amends``) the Pemda signed."""
    data = {k: data.get(k) for k in AGREEMENT_FIELDS}
    region = data["region"]
    scoping.require(actor, "budget", scoping.CHANGE, str(region.pk) if region is not None else None, str(ONLY_DESK))
    errors = agreement_errors(election, data)
    if errors:
        raise ValidationError(errors)
    for f in ("number", "purpose", "budget_source"):
        data[f] = (data[f] or "").strip()
    with transaction.atomic():
        agreement = Agreement.objects.create(election=election, source=source, **data)
        audit.created(actor, "budget.agreement", agreement, AGREEMENT_FIELDS, omit_blank=True)
    return agreement


def set_lpj_due(actor: Any, agreement: Agreement, due: Any, expected_version: int, *, source: Any = None) -> Agreement:
    """The Desk sets (or clears, with None) the day the recipient's LPJ is due."""
    scoping.require(actor, "budget", scoping.CHANGE, str(agreement.region_id), str(ONLY_DESK))
    if due is not None and (not isinstance(due, dt.date) or due < agreement.signed_on):
        raise ValidationError({"lpj_due": [_("The LPJ cannot be due before the agreement is signed.")]})
    updated: Agreement = update_versioned(  # type: ignore[assignment]
        actor, agreement, {"lpj_due": due, "lpj_source": source}, expected_version, "budget.lpj_due"
    )
    return updated


# --- tranches ----------------------------------------------------------------------------------


def planned_total(agreement: Agreement, exclude: Any = None) -> int:
    qs = Tranche.objects.filter(agreement=agreement)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return int(qs.aggregate(n=Sum("planned_amount"))["n"] or 0)


def add_tranche(actor: Any, agreement: Agreement, planned_on: Any, amount: Any, *, source: Any = None) -> Tranche:
    """The Desk plans a tranche; all tranches together never exceed the agreement."""
    scoping.require(actor, "budget", scoping.CHANGE, str(agreement.region_id), str(ONLY_DESK))
    errors: dict[str, list[str]] = {}
    if _date(planned_on, "planned_on", errors) and planned_on < agreement.signed_on:
        errors["planned_on"] = [
            _("A tranche cannot be planned before the agreement is signed (%(d)s).")
            % {"d": formats.day(agreement.signed_on)}
        ]
    value = _amount(amount, "planned_amount", errors)
    if "planned_amount" not in errors:
        left = agreement.amount - planned_total(agreement)
        if value > left:
            errors["planned_amount"] = [
                _("The tranche is %(amount)s but only %(left)s of the agreement's %(total)s is left to plan.")
                % {"amount": rupiah(value), "left": rupiah(max(left, 0)), "total": rupiah(agreement.amount)}
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Agreement.objects.select_for_update().filter(pk=agreement.pk).first()  # numbers tranches one by one
        if value > agreement.amount - planned_total(agreement):  # pragma: no cover - a concurrent plan
            raise ConcurrentEditError(_("Another tranche was planned meanwhile; reload and try again."))
        last = Tranche.objects.filter(agreement=agreement).aggregate(n=Max("number"))["n"] or 0
        tranche = Tranche.objects.create(
            agreement=agreement, number=last + 1, planned_on=planned_on, planned_amount=value, source=source
        )
        audit.created(actor, "budget.tranche", tranche, ["number", "planned_on", "planned_amount"])
    return tranche


def disburse(actor: Any, tranche: Tranche, disbursed_on: Any, amount: Any, expected_version: int) -> Tranche:
    """The Desk records that a tranche was paid: on which day, how much (at most the tranche)."""
    agreement = tranche.agreement
    scoping.require(actor, "budget", scoping.CHANGE, str(agreement.region_id), str(ONLY_DESK))
    if expected_version != tranche.version:  # stale first: a form opened before the payment was recorded
        raise ConcurrentEditError(
            _("This tranche was changed by someone else while you were editing. Reload it and try again."),
            code="conflict",
        )
    errors: dict[str, list[str]] = {}
    if tranche.disbursed_on is not None:
        errors["disbursed_on"] = [_("This tranche was already disbursed.")]
    if _date(disbursed_on, "disbursed_on", errors):
        if disbursed_on < agreement.signed_on:
            errors["disbursed_on"] = [
                _("Nothing can be disbursed before the agreement is signed (%(d)s).")
                % {"d": formats.day(agreement.signed_on)}
            ]
        else:
            _not_future(disbursed_on, "disbursed_on", errors)
    value = _amount(amount, "disbursed_amount", errors)
    if "disbursed_amount" not in errors and value > tranche.planned_amount:
        errors["disbursed_amount"] = [
            _("A disbursement cannot exceed its tranche (%(planned)s).") % {"planned": rupiah(tranche.planned_amount)}
        ]
    if errors:
        raise ValidationError(errors)
    updated: Tranche = update_versioned(  # type: ignore[assignment]
        actor, tranche, {"disbursed_on": disbursed_on, "disbursed_amount": value}, expected_version, "budget.disburse"
    )
    return updated


# --- realisation -------------------------------------------------------------------------------


def is_recipient(actor: Any, agreement: Agreement) -> bool:
    """Is ``actor`` (an operator or admin of) the agreement's recipient agency? The system is."""
    if actor is None or getattr(actor, "is_superuser", False):
        return True
    kinds = scoping.ACCESS["budget_realisation"][scoping.CHANGE]
    need = scoping.ROLE_RANK[scoping.MIN_ROLE[scoping.CHANGE]]
    return any(
        g.agency_id == agreement.agency_id and g.kind in kinds and scoping.ROLE_RANK[g.role] >= need
        for g in scoping.memberships(actor)
    )


def require_recipient(actor: Any, agreement: Agreement) -> None:
    if not is_recipient(actor, agreement):
        raise PermissionDenied(str(ONLY_RECIPIENT))  # in the language of the request that tried


def disbursed_by(agreement: Agreement, day: dt.date) -> int:
    qs = Tranche.objects.filter(agreement=agreement, disbursed_on__lte=day)
    return int(qs.aggregate(n=Sum("disbursed_amount"))["n"] or 0)


def accounted_by(agreement: Agreement, day: dt.date) -> int:
    """Spent and returned in the agreement's reports covering up to ``day``."""
    reports = Realisation.objects.filter(agreement=agreement, period_end__lte=day)
    spent = Line.objects.filter(realisation__in=reports).aggregate(n=Sum("amount"))["n"] or 0
    returned = reports.aggregate(n=Sum("returned"))["n"] or 0
    return int(spent) + int(returned)


def _lines(lines: Any, errors: dict[str, list[str]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for category, value in (lines or {}).items():
        if category not in Category.values:
            errors["lines"] = [_("Choose the categories of the list.")]
            continue
        if value in (None, "", 0):
            continue
        checked = _amount(value, category, errors)
        if category not in errors:
            out[category] = checked
    return out


def report_errors(agreement: Agreement, data: dict[str, Any]) -> dict[str, list[str]]:
    """Everything wrong with a new realisation report (nothing is written while any is)."""
    errors: dict[str, list[str]] = {}
    lines = _lines(data.get("lines"), errors)
    returned = _amount(data.get("returned") or 0, "returned", errors, positive=False)
    if not errors and not lines and not returned:
        errors["lines"] = [_("Give what was spent, by category, or what was returned.")]
    if len((data.get("note") or "").strip()) > 500:
        errors["note"] = [_("At most %(n)s characters.") % {"n": 500}]
    period_end: Any = data.get("period_end")
    submitted: Any = data.get("submitted_on")
    if _date(period_end, "period_end", errors) and _date(submitted, "submitted_on", errors):
        if submitted < period_end:
            errors["submitted_on"] = [_("A report cannot be submitted before the end of the period it covers.")]
        _not_future(submitted, "submitted_on", errors)
    if "period_end" in errors:
        return errors
    first = (
        Tranche.objects.filter(agreement=agreement, disbursed_on__isnull=False)
        .order_by("disbursed_on")
        .values_list("disbursed_on", flat=True)
        .first()
    )
    if first is None:
        errors["period_end"] = [_("Nothing has been disbursed on this agreement yet: there is nothing to report.")]
        return errors
    if period_end < first:
        errors["period_end"] = [
            _("The first disbursement was on %(d)s: a report cannot cover a period before it.")
            % {"d": formats.day(first)}
        ]
        return errors
    if Realisation.objects.filter(agreement=agreement, final=True).exists():
        errors["final"] = [_("The final report (LPJ) of this agreement is already in.")]
        return errors
    if errors:
        return errors
    new = sum(lines.values()) + returned
    # the new report counts at its day and at the day of every later report already in
    later = Realisation.objects.filter(agreement=agreement, period_end__gt=period_end)
    checkpoints = [period_end, *sorted(set(later.values_list("period_end", flat=True)))]
    for day in checkpoints:
        total = accounted_by(agreement, day) + new
        paid = disbursed_by(agreement, day)
        if total > paid:
            errors["lines"] = [
                _("Spent and returned up to %(d)s would be %(total)s, more than the %(paid)s disbursed by then.")
                % {"d": formats.day(day), "total": rupiah(total), "paid": rupiah(paid)}
            ]
            break
    return errors


def _checked_files(files: Sequence[Any], errors: dict[str, list[str]]) -> list[tuple[Any, Any]]:
    if len(files) > MAX_DOCUMENTS:
        errors["documents"] = [_("At most %(n)s files at once.") % {"n": MAX_DOCUMENTS}]
        return []
    checked = []
    for upload in files:
        try:
            checked.append((upload, documents.check(upload, DOCUMENT_MAX_BYTES, "documents")))
        except ValidationError as e:
            errors.setdefault("documents", []).extend(e.messages)
    return checked


def _recipient_agency(agreement: Agreement) -> Any:
    return apps.get_model("agencies", "Agency").objects.get(pk=agreement.agency_id)


def report(
    actor: Any,
    agreement: Agreement,
    data: dict[str, Any],
    files: Sequence[Any] = (),
    *,
    client_id: uuid.UUID | None = None,
    source: Any = None,
) -> Realisation:
    """The recipient reports what it spent (by category) and returned of the agreement up to a day.
    A retried submission with the same client id returns the first report; the same id with other
    content is refused. Spent and returned together never exceed what was disbursed by then."""
    if client_id is not None and (found := Realisation.objects.filter(client_id=client_id).first()) is not None:
        require_recipient(actor, found.agreement)
        return _replayed(found, agreement, data)
    require_recipient(actor, agreement)
    errors = report_errors(agreement, data)
    checked = _checked_files(files, errors)
    if errors:
        raise ValidationError(errors)
    lines = _lines(data.get("lines"), {})
    try:
        with transaction.atomic():
            Agreement.objects.select_for_update().filter(pk=agreement.pk).first()  # one report at a time
            again = report_errors(agreement, data)
            if again:  # pragma: no cover - another report came in meanwhile
                raise ValidationError(again)
            kept = Realisation.objects.create(
                agreement=agreement,
                agency=_recipient_agency(agreement),
                period_end=data["period_end"],
                submitted_on=data["submitted_on"],
                returned=data.get("returned") or 0,
                final=bool(data.get("final")),
                note=(data.get("note") or "").strip(),
                source=source,
                by=actor if actor is not None and actor.is_authenticated else None,
                client_id=client_id,
            )
            Line.objects.bulk_create([Line(realisation=kept, category=c, amount=v) for c, v in lines.items()])
            audit.record(
                actor,
                "budget.realisation",
                kept,
                {
                    "period_end": [None, kept.period_end.isoformat()],
                    "submitted_on": [None, kept.submitted_on.isoformat()],
                    "spent": [None, lines],
                    "returned": [None, kept.returned],
                    "final": [None, kept.final],
                },
            )
            for upload, c in checked:
                upload.seek(0)
                doc = Document.objects.create(
                    realisation=kept, file=upload, filename=c.filename, content_type=c.content_type, size=upload.size
                )
                audit.record(actor, "budget.document", doc, {"filename": [None, doc.filename]})
    except IntegrityError:
        found = Realisation.objects.filter(client_id=client_id).first() if client_id is not None else None
        if found is None:
            raise
        require_recipient(actor, found.agreement)
        return _replayed(found, agreement, data)
    return kept


def _replayed(found: Realisation, agreement: Agreement, data: dict[str, Any]) -> Realisation:
    lines = {c: v for c, v in (data.get("lines") or {}).items() if v}
    mine = (agreement.pk, data.get("period_end"), lines, data.get("returned") or 0)
    theirs = (
        found.agreement_id,
        found.period_end,
        dict(Line.objects.filter(realisation=found).values_list("category", "amount")),
        found.returned,
    )
    if mine != theirs:
        raise ConcurrentEditError(_("This submission id was already used for another report; submit again."))
    return found


# --- cited figures ---------------------------------------------------------------------------------


def cite(
    actor: Any, election: Any, region: Any, amount: Any, label: str, source: Any, agreement: Any = None
) -> CitedFigure:
    """Keep an amount a source quotes (for an agreement, or the region's whole grant) beside the
    recorded figure."""
    scoping.require(actor, "budget", scoping.CHANGE, str(region.pk), str(ONLY_DESK))
    errors: dict[str, list[str]] = {}
    try:
        value = _cited_errors(amount, label or "", region, agreement)
    except ValidationError as e:
        errors.update(e.message_dict)
    if source is None:
        errors["source"] = [_("A cited figure needs its source.")]
    if errors:
        raise ValidationError(errors)
    label = label.strip()
    with transaction.atomic():
        figure = CitedFigure.objects.create(
            election=election, region=region, agreement=agreement, amount=value, label=label, source=source
        )
        audit.created(actor, "budget.cited", figure, ["region", "agreement", "amount", "label"])
    return figure


SOURCE_LIMITS = {"publisher": 200, "title": 300, "note": 500}


def record_cited(actor: Any, election: Any, region: Any, data: dict[str, Any]) -> CitedFigure:
    """The Desk keeps a figure a source quotes, with the source itself (who, what, when, its
    status): ``amount``, ``label``, optional ``agreement``, and ``status``, ``publisher``,
    ``title``, ``as_of``, ``url``, ``note`` of the source."""
    scoping.require(actor, "budget", scoping.CHANGE, str(region.pk), str(ONLY_DESK))
    errors: dict[str, list[str]] = {}
    if data.get("status") not in SourceStatus.values:
        errors["status"] = [_("Choose one of the list.")]
    for f, limit in SOURCE_LIMITS.items():
        value = (data.get(f) or "").strip()
        if f != "note" and not value:
            errors[f] = [_("This field is required.")]
        elif len(value) > limit:
            errors[f] = [_("At most %(n)s characters.") % {"n": limit}]
    as_of: Any = data.get("as_of")
    if _date(as_of, "as_of", errors):
        _not_future(as_of, "as_of", errors)
    try:
        cited = _cited_errors(data.get("amount"), data.get("label") or "", region, data.get("agreement"))
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        source = Source.objects.create(
            key=f"budget-cited-{uuid.uuid4().hex[:16]}",
            status=data["status"],
            publisher=data["publisher"].strip(),
            title=data["title"].strip(),
            as_of=as_of,
            url=(data.get("url") or "").strip(),
            note=(data.get("note") or "").strip(),
        )
        return cite(actor, election, region, cited, (data.get("label") or "").strip(), source, data.get("agreement"))


def _cited_errors(amount: Any, label: str, region: Any, agreement: Any) -> int:
    errors: dict[str, list[str]] = {}
    value = _amount(amount, "amount", errors)
    label = label.strip()
    if not label or len(label) > 200:
        errors["label"] = [_("Say what is quoted (at most 200 characters).")]
    if agreement is not None and agreement.region_id != region.pk:
        errors["agreement"] = [_("The agreement is not one of this region.")]
    if errors:
        raise ValidationError(errors)
    return value
