"""The write path for violations: intake of a case, each step of its handling, the sanction, and
the deadline rules and holidays its deadlines count on.

Each function checks the actor's right (``core.scoping``), validates everything first and writes
nothing when something is wrong, writes in one transaction and records the audit row in it.
``actor=None`` is the demo loader and the tests' fixtures. No audit row of a case carries the
reporter: the reporter's own rows belong to ``violations_reporter`` (Bawaslu only).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max, Value, When
from django.utils.translation import gettext as _

from core import audit, dates, documents, formats, scoping
from core.actions import ConcurrentEditError, update_versioned
from violations import deadlines
from violations.models import (
    FINISHED,
    KASN_UNTIL,
    Case,
    Evidence,
    Finding,
    Holiday,
    NotRegisteredReason,
    Origin,
    PartyKind,
    Referral,
    Reporter,
    Rule,
    Status,
    Step,
    ViolationCategory,
)

NOTE_MAX = 500
MAX_EVIDENCE = 10

CASE_FIELDS = [
    "number",
    "origin",
    "occurred_on",
    "known_on",
    "received_on",
    "region",
    "tps",
    "party_kind",
    "party_name",
    "party_unit",
    "category",
    "summary",
    "description",
]
INTAKE_FIELDS = [f for f in CASE_FIELDS if f != "number"]
REPORTER_FIELDS = ["name", "contact", "address", "statement"]

# The one step at a time a case may take (Status → the states it may move to).
NEXT: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.REGISTERED, Status.NOT_REGISTERED),
    Status.REGISTERED: (Status.CLARIFICATION,),
    Status.CLARIFICATION: (Status.REVIEW,),
    Status.REVIEW: (Status.DECIDED,),
    Status.DECIDED: (Status.REFERRED, Status.CLOSED),
    Status.REFERRED: (Status.INVESTIGATION, Status.CLOSED),
    Status.INVESTIGATION: (Status.PROSECUTION, Status.CLOSED),
    Status.PROSECUTION: (Status.COURT, Status.CLOSED),
    Status.COURT: (Status.CLOSED,),
}
# Where each category goes once proven.
REFERRALS: dict[str, tuple[str, ...]] = {
    ViolationCategory.ADMINISTRASI: (Referral.KPU,),
    ViolationCategory.PIDANA: (Referral.GAKKUMDU,),
    ViolationCategory.KODE_ETIK: (Referral.DKPP,),
    ViolationCategory.OTHER_LAW: (Referral.BKN, Referral.KASN, Referral.BUPATI, Referral.INSTITUTION),
}
# The Gakkumdu partners record the stages that are theirs: investigation, prosecution, court.
GAKKUMDU_STAGES = (Status.INVESTIGATION, Status.PROSECUTION, Status.COURT)
ONLY_BAWASLU = _("Only Bawaslu of this area handles its violation cases.")
# The bodies whose sanction of an ASN, a kepala desa or a TNI/Polri member the desk records.
SANCTIONED_BY = (Referral.BKN, Referral.KASN, Referral.BUPATI, Referral.INSTITUTION)


# --- rules and calendar ---------------------------------------------------------------------


def rule_rows(election: Any) -> list[Rule]:
    """The election's rules in the law's order: the rows set, and the defaults (unsaved, version 1)
    where none was set -- one shape for the calendar page, the API and the arithmetic."""
    found = {r.key: r for r in Rule.objects.filter(election=election)}
    return [
        found.get(key) or Rule(election_id=getattr(election, "pk", election), key=key, days=days, working_days=working)
        for key, _label, days, working in Rule.KEYS
    ]


def rules_for(election: Any) -> dict[str, deadlines.RuleDays]:
    """The election's deadline rules as the arithmetic reads them."""
    return {r.key: deadlines.RuleDays(r.days, r.working_days) for r in rule_rows(election)}


def holidays_for(election: Any) -> set[dt.date]:
    return set(Holiday.objects.filter(election=election).values_list("day", flat=True))


def _deadline(case: Case, rules: Any, holidays: Any) -> dict[str, Any]:
    deadline, rule = deadlines.deadline_for(
        case.status, case.received_on, case.stage_started_on, case.extended, rules, holidays
    )
    return {"deadline": deadline, "deadline_rule": rule}


RECOMPUTE_CHUNK = 100  # dates per UPDATE: SQLite takes at most 999 parameters a statement


def recompute(election: Any) -> int:
    """Re-derive the deadline of every open case of ``election`` after a rule or a holiday changed.

    A deadline depends only on the state and a date (receipt until the decision, the stage's start
    after), so it is computed once per distinct date -- a few hundred in an election -- and written
    by UPDATEs with a CASE over those dates, however many cases there are. Returns the rows written."""
    rules, holidays = rules_for(election), holidays_for(election)

    def _due(status: str, day: dt.date, extended: bool) -> dt.date | None:
        return deadlines.deadline_for(status, day, day, extended, rules, holidays)[0]

    open_cases = Case.objects.filter(election=election).exclude(status__in=FINISHED)
    written = open_cases.exclude(status__in=list(deadlines.STAGE_RULE)).update(deadline=None, deadline_rule="")
    by_receipt = [s for s, rule in deadlines.STAGE_RULE.items() if rule == Rule.DECIDE]
    pairs = sorted(set(open_cases.filter(status__in=by_receipt).values_list("received_on", "extended")))
    for i in range(0, len(pairs), RECOMPUTE_CHUNK):
        chunk = pairs[i : i + RECOMPUTE_CHUNK]
        whens = [
            When(received_on=received, extended=extended, then=Value(_due(Status.RECEIVED, received, extended)))
            for received, extended in chunk
        ]
        written += open_cases.filter(status__in=by_receipt, received_on__in={r for r, _e in chunk}).update(
            deadline=models.Case(*whens, default=F("deadline"), output_field=models.DateField()),
            deadline_rule=Rule.DECIDE,
        )
    for status, rule in deadlines.STAGE_RULE.items():
        if rule == Rule.DECIDE:
            continue
        starts = sorted(set(open_cases.filter(status=status).values_list("stage_started_on", flat=True)))
        for i in range(0, len(starts), RECOMPUTE_CHUNK):
            chunk = starts[i : i + RECOMPUTE_CHUNK]
            whens = [When(stage_started_on=day, then=Value(_due(status, day, False))) for day in chunk]
            written += open_cases.filter(status=status, stage_started_on__in=chunk).update(
                deadline=models.Case(*whens, default=F("deadline"), output_field=models.DateField()),
                deadline_rule=rule,
            )
    return written


def _require_rules(actor: Any, election: Any) -> None:
    scoping.require(
        actor,
        "violations",
        scoping.MANAGE,
        str(election.region_id),
        _("Only a Bawaslu admin of the election's whole region sets its deadline rules and holidays."),
    )


def set_rule(actor: Any, election: Any, key: str, days: Any, working_days: bool, expected_version: int) -> Rule:
    """Set one deadline rule of the election (its row is written the first time it is set)."""
    _require_rules(actor, election)
    defaults = {k: (d, w) for k, _label, d, w in Rule.KEYS}
    if key not in defaults:
        raise ValidationError({"rule": [_("Choose one of the list.")]})
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 60:
        raise ValidationError({"days": [_("A rule counts between 0 and 60 days.")]})
    with transaction.atomic():
        rule = Rule.objects.select_for_update().filter(election=election, key=key).first()
        if rule is None:
            rule, _created = Rule.objects.get_or_create(
                election=election, key=key, defaults={"days": defaults[key][0], "working_days": defaults[key][1]}
            )
        updated: Rule = update_versioned(  # type: ignore[assignment]
            actor, rule, {"days": days, "working_days": bool(working_days)}, expected_version, "violations.rule"
        )
        recompute(election)
    return updated


def add_holiday(actor: Any, election: Any, day: Any, name: str) -> Holiday:
    _require_rules(actor, election)
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not isinstance(day, dt.date):
        errors["day"] = [_("Give the day.")]
    elif Holiday.objects.filter(election=election, day=day).exists():
        errors["day"] = [_("%(day)s is already a holiday.") % {"day": formats.day(day)}]
    if not name or len(name) > 150:
        errors["name"] = [_("Name the holiday in at most 150 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        holiday = Holiday.objects.create(election=election, day=day, name=name)
        audit.created(actor, "violations.holiday", holiday, ["day", "name"])
        recompute(election)
    return holiday


def remove_holiday(actor: Any, holiday: Holiday) -> None:
    _require_rules(actor, holiday.election)
    with transaction.atomic():
        audit.record(actor, "violations.holiday_removed", holiday, {"day": [holiday.day.isoformat(), None]})
        election = holiday.election
        holiday.delete()
        recompute(election)


# --- intake ----------------------------------------------------------------------------------


def _date_errors(data: dict[str, Any], today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for f in ("occurred_on", "known_on", "received_on"):
        if not isinstance(data.get(f), dt.date):
            errors[f] = [_("Give the date.")]
    if errors:
        return errors
    occurred, known, received = data["occurred_on"], data["known_on"], data["received_on"]
    if known < occurred:
        errors["known_on"] = [_("It cannot have become known before it happened.")]
    if received < known:
        errors["received_on"] = [_("It cannot have been received before it became known.")]
    if received > today:
        errors.setdefault("received_on", []).append(
            _("The day received cannot be after today (%(d)s).") % {"d": formats.day(today)}
        )
    return errors


def _choice(data: dict[str, Any], field: str, choices: Any, errors: dict[str, list[str]]) -> None:
    if data.get(field) not in choices.values:
        errors[field] = [_("Choose one of the list.")]


def intake_errors(election: Any, data: dict[str, Any], reporter: dict[str, Any] | None) -> dict[str, list[str]]:
    """Everything wrong with a new case, by field (nothing is written while any is)."""
    errors = _date_errors(data, dates.today())
    _choice(data, "origin", Origin, errors)
    _choice(data, "party_kind", PartyKind, errors)
    _choice(data, "category", ViolationCategory, errors)
    for f, limit in (("party_name", 200), ("summary", 200), ("party_unit", 200), ("description", 10000)):
        value = (data.get(f) or "").strip()
        if f in ("party_name", "summary") and not value:
            errors[f] = [_("This field is required.")]
        elif len(value) > limit:
            errors[f] = [_("At most %(n)s characters.") % {"n": limit}]
    if data.get("category") == ViolationCategory.KODE_ETIK and data.get("party_kind") != PartyKind.ORGANISER:
        errors.setdefault("category", []).append(_("A breach of the code of ethics is an election organiser's."))
    region, tps = data.get("region"), data.get("tps")
    if region is None:
        errors["region"] = [_("Give the desa/kelurahan or kecamatan.")]
    elif region.level not in (3, 4) or not scoping.in_subtree(str(region.pk), str(election.region_id)):
        errors["region"] = [_("The place is a kecamatan or desa/kelurahan of the election's region.")]
    elif tps is not None and (tps.election_id != election.pk or tps.village_id != region.pk):
        errors["tps"] = [_("The TPS is not in %(place)s.") % {"place": region.name}]
    if data.get("origin") == Origin.LAPORAN:
        name = ((reporter or {}).get("name") or "").strip()
        if not name:
            errors["reporter_name"] = [_("A laporan names its reporter (kept from everyone but Bawaslu).")]
        for f in REPORTER_FIELDS:
            limit = 10000 if f == "statement" else (300 if f == "address" else 150)
            if len(((reporter or {}).get(f) or "").strip()) > limit:
                errors[f"reporter_{f}"] = [_("At most %(n)s characters.") % {"n": limit}]
    elif (
        data.get("origin") == Origin.TEMUAN
        and reporter
        and any((reporter.get(f) or "").strip() for f in REPORTER_FIELDS)
    ):
        errors["reporter_name"] = [_("A temuan is Bawaslu's own finding: it has no reporter.")]
    return errors


def _incidents(actor: Any, election: Any, ids: Iterable[Any], errors: dict[str, list[str]]) -> list[Any]:
    """The security incidents to link: of the same election and readable by the actor (one out
    of sight is answered like a missing one)."""
    wanted = {int(i) for i in ids if str(i).strip().isdigit()}
    if not wanted:
        return []
    incidents = apps.get_model("security", "Incident").objects.filter(election=election, pk__in=wanted)
    found = list(incidents.restrict(actor) if actor is not None else incidents)
    if len(found) != len(wanted):
        errors["incidents"] = [_("A linked incident is not an incident of this election.")]
    return found


def _checked_files(files: Sequence[Any], errors: dict[str, list[str]]) -> list[tuple[Any, Any]]:
    if len(files) > MAX_EVIDENCE:
        errors["evidence"] = [_("At most %(n)s files at once.") % {"n": MAX_EVIDENCE}]
        return []
    checked = []
    for upload in files:
        try:
            checked.append((upload, documents.check(upload, settings.VIOLATION_EVIDENCE_MAX_BYTES, "evidence")))
        except ValidationError as e:
            errors.setdefault("evidence", []).extend(e.messages)
    return checked


def _keep_files(actor: Any, case: Case, checked: list[tuple[Any, Any]]) -> None:
    for upload, c in checked:
        upload.seek(0)
        ev = Evidence.objects.create(
            case=case, file=upload, filename=c.filename, content_type=c.content_type, size=upload.size
        )
        audit.record(actor, "violations.evidence", ev, {"filename": [None, ev.filename]})


def intake(
    actor: Any,
    election: Any,
    data: dict[str, Any],
    reporter: dict[str, Any] | None = None,
    evidence: Sequence[Any] = (),
    incidents: Iterable[Any] = (),
    *,
    client_id: uuid.UUID | None = None,
    source: Any = None,
) -> Case:
    """Bawaslu (or its Panwascam) records a laporan or a temuan. A retried submission with the same
    client id returns the first case; the same id with another content is refused."""
    if client_id is not None and (found := Case.objects.filter(client_id=client_id).first()) is not None:
        # a retry is answered only to whoever may record a case there (an id is not a key)
        scoping.require(actor, "violations", scoping.CHANGE, str(found.region_id), ONLY_BAWASLU)
        return _replayed(found, election, data)
    data = {k: data.get(k) for k in INTAKE_FIELDS}
    if data["tps"] is not None and data["region"] is None:
        data["region"] = data["tps"].village
    errors = intake_errors(election, data, reporter)
    if "region" not in errors:
        scoping.require(actor, "violations", scoping.CHANGE, str(data["region"].pk), ONLY_BAWASLU)
    linked = _incidents(actor, election, incidents, errors)
    checked = _checked_files(evidence, errors)
    if errors:
        raise ValidationError(errors)
    for f in ("party_name", "party_unit", "summary", "description"):
        data[f] = (data[f] or "").strip()
    try:
        with transaction.atomic():
            # the election's row is the lock that numbers its cases one after another
            apps.get_model("elections", "Election").objects.select_for_update().filter(pk=election.pk).first()
            rules, holidays = rules_for(election), holidays_for(election)
            case = Case(
                election=election,
                agency=_agency(actor, str(data["region"].pk)),
                stage_started_on=data["received_on"],
                source=source,
                client_id=client_id,
                **data,
            )
            case.deadline, case.deadline_rule = deadlines.deadline_for(
                case.status, case.received_on, case.stage_started_on, False, rules, holidays
            )
            last = Case.objects.filter(election=election).aggregate(n=Max("number"))["n"]
            case.number = (last or 0) + 1
            case.save()
            Step.objects.create(
                case=case, status=Status.RECEIVED, on=case.received_on, by=actor, by_name=audit.actor_name(actor)
            )
            audit.created(actor, "violations.case", case, CASE_FIELDS, omit_blank=True)
            if case.origin == Origin.LAPORAN and reporter:
                kept = Reporter.objects.create(
                    case=case, **{f: (reporter.get(f) or "").strip() for f in REPORTER_FIELDS}
                )
                # the reporter's row says that a reporter was recorded, not who
                audit.record(actor, "violations.reporter", kept, {})
            _keep_files(actor, case, checked)
            if linked:
                case.incidents.set(linked)
    except IntegrityError:
        found = Case.objects.filter(client_id=client_id).first() if client_id is not None else None
        if found is None:
            raise
        scoping.require(actor, "violations", scoping.CHANGE, str(found.region_id), ONLY_BAWASLU)
        return _replayed(found, election, data)
    return case


def _replayed(found: Case, election: Any, data: dict[str, Any]) -> Case:
    region = data.get("region") or getattr(data.get("tps"), "village", None)
    mine = (
        election.pk,
        getattr(region, "pk", None),
        (data.get("summary") or "").strip(),
        (data.get("party_name") or "").strip(),
    )
    if (found.election_id, found.region_id, found.summary, found.party_name) != mine:
        raise ConcurrentEditError(_("This submission id was already used for another case; submit again."))
    return found


def _agency(actor: Any, code: str) -> Any:
    if actor is None:
        return None
    agency_id = scoping.acting_agency_id(actor, "violations", scoping.CHANGE, code)
    return apps.get_model("agencies", "Agency").objects.filter(pk=agency_id).first() if agency_id else None


def add_evidence(actor: Any, case: Case, files: Sequence[Any]) -> int:
    scoping.require(actor, "violations", scoping.CHANGE, str(case.region_id), ONLY_BAWASLU)
    errors: dict[str, list[str]] = {}
    checked = _checked_files(files, errors)
    if not files:
        errors["evidence"] = [_("Choose a file.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _keep_files(actor, case, checked)
    return len(checked)


# --- the workflow ----------------------------------------------------------------------------


def may_move(actor: Any, case: Case, status: str) -> bool:
    """May ``actor`` move ``case`` to ``status``? Bawaslu always; a Gakkumdu partner (Polri,
    Kejaksaan) the stages of a case referred to Sentra Gakkumdu."""
    code = str(case.region_id)
    if actor is None or scoping.can(actor, "violations", scoping.CHANGE, code):
        return True
    gakkumdu_stage = case.referred_to == Referral.GAKKUMDU and (
        status in GAKKUMDU_STAGES or (status == Status.CLOSED and case.status in GAKKUMDU_STAGES)
    )
    return gakkumdu_stage and scoping.can(actor, "violations_gakkumdu", scoping.CHANGE, code)


def possible_steps(actor: Any, case: Case) -> tuple[str, ...]:
    """The next states ``actor`` may move ``case`` to that its state allows: a proven decision is
    referred, an unproven one closed; only a Gakkumdu case is investigated. (``step_errors`` says
    why any other is refused.)"""
    out = []
    for status in NEXT.get(case.status, ()):
        if status == Status.INVESTIGATION and case.referred_to != Referral.GAKKUMDU:
            continue
        if case.status == Status.DECIDED and (status == Status.REFERRED) != (case.finding == Finding.PROVEN):
            continue
        if may_move(actor, case, status):
            out.append(status)
    return tuple(out)


def _label(status: str) -> str:
    return str(dict(Status.choices).get(status, status))


def step_errors(case: Case, status: str, data: dict[str, Any], today: dt.date) -> dict[str, list[str]]:
    """Everything wrong with moving ``case`` to ``status`` with ``data`` (note, on, and what the
    step needs: the reason, the finding, the referral, the outcome)."""
    allowed = NEXT.get(case.status, ())
    if not allowed:
        return {"status": [_("The case is finished (“%(s)s”).") % {"s": case.get_status_display()}]}
    if status not in allowed:
        return {
            "status": [
                _("From “%(now)s” a case moves to %(next)s, not “%(asked)s”.")
                % {
                    "now": case.get_status_display(),
                    "next": " / ".join(f"“{_label(s)}”" for s in allowed),
                    "asked": _label(status),
                }
            ]
        }
    errors: dict[str, list[str]] = {}
    note = (data.get("note") or "").strip()
    if not note:
        errors["note"] = [_("Say why (who decided what, on what grounds).")]
    elif len(note) > NOTE_MAX:
        errors["note"] = [_("The note is at most 500 characters.")]
    on = data.get("on") or today
    last = case.steps.order_by("-on").values_list("on", flat=True).first() or case.received_on
    if not isinstance(on, dt.date):
        errors["on"] = [_("Give the date.")]
    elif on > today:
        errors["on"] = [_("The day cannot be after today (%(d)s).") % {"d": formats.day(today)}]
    elif on < last:
        errors["on"] = [_("The day cannot be before the case's last step (%(d)s).") % {"d": formats.day(last)}]
    rules = rules_for(case.election)
    late = case.origin == Origin.LAPORAN and case.received_on > deadlines.report_deadline(
        case.known_on, rules, holidays_for(case.election)
    )
    if status == Status.REGISTERED and late:
        errors["status"] = [
            _("It was reported more than %(n)s days after it became known: it is not registered (reported late).")
            % {"n": rules["report"].days}
        ]
    if status == Status.NOT_REGISTERED:
        reason = data.get("reason")
        if reason not in NotRegisteredReason.values:
            errors["reason"] = [_("Say why it is not registered.")]
        elif reason == NotRegisteredReason.LATE and not late:
            errors["reason"] = [_("It was reported in time; say which requirement is unmet instead.")]
    if status == Status.DECIDED and data.get("finding") not in Finding.values:
        errors["finding"] = [_("Say whether the violation is proven.")]
    if status == Status.REFERRED:
        errors.update(_referral_errors(case, data.get("referred_to"), on if isinstance(on, dt.date) else today))
    if status == Status.CLOSED and case.status == Status.DECIDED and case.finding == Finding.PROVEN:
        errors["status"] = [_("A proven violation is referred before the case closes.")]
    if status == Status.INVESTIGATION and case.referred_to != Referral.GAKKUMDU:
        errors["status"] = [_("Only a case referred to Sentra Gakkumdu is investigated.")]
    if status == Status.CLOSED and not (data.get("outcome") or "").strip():
        errors["outcome"] = [_("Say how the case ended.")]
    return errors


def _referral_errors(case: Case, target: Any, on: dt.date) -> dict[str, list[str]]:
    if case.finding != Finding.PROVEN:
        return {"status": [_("Only a proven violation is referred.")]}
    allowed = REFERRALS[case.category]
    if target not in allowed:
        return {
            "referred_to": [
                _("A case of “%(cat)s” goes to %(where)s.")
                % {
                    "cat": case.get_category_display(),
                    "where": " / ".join(str(dict(Referral.choices)[t]) for t in allowed),
                }
            ]
        }
    if target in (Referral.BKN, Referral.KASN) and case.party_kind != PartyKind.ASN:
        return {"referred_to": [_("BKN and KASN take only cases against an ASN.")]}
    if target == Referral.KASN and on >= KASN_UNTIL:
        return {"referred_to": [_("From 24 Aug 2024 ASN neutrality goes to BKN (KASN was dissolved).")]}
    if target == Referral.BKN and on < KASN_UNTIL:
        return {"referred_to": [_("Before 24 Aug 2024 ASN neutrality went to KASN.")]}
    if target == Referral.BUPATI and case.party_kind != PartyKind.VILLAGE:
        return {"referred_to": [_("The Bupati/DPMD takes cases against a kepala desa or perangkat desa.")]}
    if target == Referral.INSTITUTION and case.party_kind != PartyKind.TNI_POLRI:
        return {"referred_to": [_("Only a TNI or Polri member goes to their own institution.")]}
    return {}


def advance(actor: Any, case: Case, status: str, data: dict[str, Any], expected_version: int) -> Case:
    """Move ``case`` one step on, recording who, when and why; the deadline follows the new state."""
    if not may_move(actor, case, status):
        scoping.require(actor, "violations", scoping.CHANGE, str(case.region_id), ONLY_BAWASLU)
    today = dates.today()
    errors = step_errors(case, status, data, today)
    if errors:
        raise ValidationError(errors)
    on = data.get("on") or today
    note = data["note"].strip()
    change: dict[str, Any] = {"status": status, "stage_started_on": on}
    if status == Status.NOT_REGISTERED:
        change["not_registered_reason"] = data["reason"]
    if status == Status.DECIDED:
        change["finding"] = data["finding"]
    if status == Status.REFERRED:
        change.update(referred_to=data["referred_to"], referred_on=on)
    if status == Status.CLOSED:
        change["outcome"] = data["outcome"].strip()[:500]
    probe = Case(**{**{f: getattr(case, f) for f in ("received_on", "extended")}, **change})
    with transaction.atomic():
        change.update(_deadline(probe, rules_for(case.election), holidays_for(case.election)))
        updated: Case = update_versioned(actor, case, change, expected_version, "violations.step")  # type: ignore[assignment]
        Step.objects.create(case=updated, status=status, on=on, by=actor, by_name=audit.actor_name(actor), note=note)
    return updated


def request_information(actor: Any, case: Case, note: str, expected_version: int) -> Case:
    """More information is needed before deciding: the decision deadline moves by the extension."""
    scoping.require(actor, "violations", scoping.CHANGE, str(case.region_id), ONLY_BAWASLU)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if case.deadline_rule != Rule.DECIDE:
        errors["status"] = [_("More information is requested only before the decision.")]
    elif case.extended:
        errors["status"] = [_("The decision was already extended once.")]
    if not note or len(note) > NOTE_MAX:
        errors["note"] = [_("Say in at most 500 characters what information is needed.")]
    if errors:
        raise ValidationError(errors)
    probe = Case(
        status=case.status, received_on=case.received_on, stage_started_on=case.stage_started_on, extended=True
    )
    change = {"extended": True, **_deadline(probe, rules_for(case.election), holidays_for(case.election))}
    with transaction.atomic():
        updated: Case = update_versioned(actor, case, change, expected_version, "violations.extension")  # type: ignore[assignment]
        Step.objects.create(
            case=updated,
            status=case.status,
            on=dates.today(),
            by=actor,
            by_name=audit.actor_name(actor),
            note=_("More information requested: %(note)s") % {"note": note},
        )
    return updated


def record_sanction(actor: Any, case: Case, sanction: str, day: Any, expected_version: int) -> Case:
    """The sanction an ASN (or kepala desa) received, when known: Bawaslu or the Pemda records it."""
    scoping.require(
        actor,
        "violations_sanction",
        scoping.CHANGE,
        str(case.region_id),
        _("Only Bawaslu and the Desk (Pemda) record a sanction."),
    )
    sanction = (sanction or "").strip()
    errors: dict[str, list[str]] = {}
    if case.referred_to not in SANCTIONED_BY:
        errors["sanction"] = [
            _("A sanction is recorded for a case referred to BKN, KASN, the Bupati/DPMD or the member's institution.")
        ]
    if not sanction or len(sanction) > 300:
        errors.setdefault("sanction", []).append(_("Describe the sanction in at most 300 characters."))
    if not isinstance(day, dt.date):
        errors["sanction_on"] = [_("Give the date.")]
    elif case.referred_on and day < case.referred_on:
        errors["sanction_on"] = [_("A sanction cannot come before the referral.")]
    elif day > dates.today():
        errors["sanction_on"] = [_("The day cannot be after today.")]
    if errors:
        raise ValidationError(errors)
    return update_versioned(  # type: ignore[return-value]
        actor, case, {"sanction": sanction, "sanction_on": day}, expected_version, "violations.sanction"
    )
