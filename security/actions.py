"""The write path for security: the scoring scheme and indicators, TPS assessments, the IKP, the
guard (patterns, force pools, TPS guards), the day's situation and incidents.

Each function checks the actor's right (``core.scoping``), validates everything first and writes
nothing when something is wrong, writes in one transaction and records the audit row in it.
``actor=None`` is the demo loader and the tests' fixtures.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Min, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext as _

from core import audit, dates, documents, formats, scoping
from core.actions import ConcurrentEditError, update_versioned
from security.models import (
    IKP_DIMENSIONS,
    Assessment,
    Category,
    ForcePool,
    IkpBand,
    Incident,
    IncidentKind,
    IncidentPhoto,
    IncidentStatus,
    IncidentStep,
    Indicator,
    Pattern,
    RegionalIndex,
    Scheme,
    Severity,
    Situation,
    SituationStatus,
    TpsGuard,
    Variable,
)

MAX_PERSONNEL = 100_000  # a Polres's pool is hundreds to a few thousand; more is a typing slip
MAX_PATTERN = 100
NOTE_MAX = 500

# An incident moves one step at a time; each step is recorded with who, when and why.
NEXT_STATUS = {
    IncidentStatus.REPORTED: IncidentStatus.VERIFIED,
    IncidentStatus.VERIFIED: IncidentStatus.HANDLED,
    IncidentStatus.HANDLED: IncidentStatus.CLOSED,
}


def _require(actor: Any, capability: str, code: str, message: str, action: str = scoping.CHANGE) -> None:
    scoping.require(actor, capability, action, code, message)


def _agency(actor: Any, capability: str, action: str, code: str) -> Any:
    if actor is None:
        return None
    agency_id = scoping.acting_agency_id(actor, capability, action, code)
    if agency_id is None:
        return None
    from agencies.models import Agency

    return Agency.objects.filter(pk=agency_id).first()


def first_day(election: Any) -> dt.date:
    """The first day of the election's first stage (its voting day when no stage is recorded)."""
    from elections.models import Stage

    first = Stage.objects.filter(election=election).aggregate(first=Min("start"))["first"]
    return first or election.voting_date


def _day_errors(election: Any, day: dt.date, what: str, first: dt.date | None = None) -> list[str]:
    if day > dates.today():
        return [_("%(what)s lies in the future: record it once it happened.") % {"what": what}]
    first = first or first_day(election)
    if day < first:
        return [
            _("%(what)s lies before the election's first stage (%(day)s).") % {"what": what, "day": formats.day(first)}
        ]
    return []


# --- the scheme and the indicators ---------------------------------------------------------------


def scheme_for(election: Any) -> Scheme:
    """The election's scoring scheme, created with the defaults on first use."""
    scheme, _created = Scheme.objects.get_or_create(election=election)
    return scheme


def _require_set_owner(actor: Any, election: Any) -> None:
    # The indicator set and the scheme are the election's: set at its level (Bawaslu Provinsi
    # for a provincial Pilkada), not by one kabupaten for everyone.
    _require(
        actor,
        "security",
        str(election.region_id),
        _("Only Bawaslu at the election's level sets the indicators and the scoring."),
        scoping.MANAGE,
    )


def _weight_errors(scheme: Scheme, weight: Any) -> list[str]:
    if not isinstance(weight, int) or isinstance(weight, bool) or not scheme.weight_min <= weight <= scheme.weight_max:
        return [
            _("The weight is a whole number from %(min)s to %(max)s.")
            % {"min": scheme.weight_min, "max": scheme.weight_max}
        ]
    return []


def add_indicator(actor: Any, variable: Variable, code: str, name: str, weight: int) -> Indicator:
    _require_set_owner(actor, variable.election)
    scheme = scheme_for(variable.election)
    errors: dict[str, list[str]] = {}
    if w := _weight_errors(scheme, weight):
        errors["weight"] = w
    if not (code or "").strip() or len(code) > 10:
        errors["code"] = [_("Give the indicator a code of at most 10 characters, e.g. “3.2”.")]
    if not (name or "").strip() or len(name) > 300:
        errors["name"] = [_("Describe the indicator in at most 300 characters.")]
    if not errors and Indicator.objects.filter(variable=variable, code=code.strip()).exists():
        errors["code"] = [_("This variable already has an indicator %(code)s.") % {"code": code}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        indicator = Indicator.objects.create(variable=variable, code=code.strip(), name=name.strip(), weight=weight)
        audit.created(actor, "security.indicator_add", indicator, ["variable", "code", "name", "weight"])
    return indicator


def update_indicator(actor: Any, indicator: Indicator, data: dict[str, Any], expected_version: int) -> Indicator:
    """Change an indicator's wording, weight or use; a new weight re-scores the current assessments
    that found it."""
    election = indicator.variable.election
    _require_set_owner(actor, election)
    if "weight" in data and (w := _weight_errors(scheme_for(election), data["weight"])):
        raise ValidationError({"weight": w})
    with transaction.atomic():
        before = Indicator.objects.select_for_update().get(pk=indicator.pk)
        counted = before.weight if before.active else 0
        updated: Indicator = update_versioned(actor, indicator, data, expected_version, "security.indicator_update")  # type: ignore[assignment]
        if delta := (updated.weight if updated.active else 0) - counted:
            shift_scores(election, updated, delta)
    return updated


def shift_scores(election: Any, indicator: Indicator, delta: int) -> int:
    """The weight ``indicator`` adds changed by ``delta``: the current assessments that found it
    move by as much and are re-categorised; no other row is touched."""
    through = Assessment.indicators.through
    rows = Assessment.objects.filter(
        election=election, current=True, pk__in=through.objects.filter(indicator=indicator).values("assessment_id")
    )
    scheme = scheme_for(election)
    score = F("score") + delta
    # one UPDATE: the new score and the category it puts the TPS in (a khusus TPS stays khusus:
    # its lokasi khusus, not its score, made it so)
    return rows.update(
        score=score,
        category=Case(
            When(category=Category.KHUSUS, then=Value(Category.KHUSUS)),
            When(GreaterThanOrEqual(score, scheme.sangat_rawan_from), then=Value(Category.SANGAT_RAWAN)),
            When(GreaterThanOrEqual(score, scheme.rawan_from), then=Value(Category.RAWAN)),
            default=Value(Category.KURANG_RAWAN),
        ),
    )


def update_scheme(actor: Any, scheme: Scheme, data: dict[str, Any], expected_version: int) -> Scheme:
    """Change the weight range or the thresholds; every current assessment is re-categorised."""
    _require_set_owner(actor, scheme.election)
    merged = {
        f: data.get(f, getattr(scheme, f)) for f in ("weight_min", "weight_max", "rawan_from", "sangat_rawan_from")
    }
    errors: dict[str, list[str]] = {}
    if merged["weight_min"] < 1 or merged["weight_min"] > merged["weight_max"]:
        errors["weight_max"] = [_("The highest weight is at least the lowest, and the lowest at least 1.")]
    if merged["rawan_from"] < 1 or merged["sangat_rawan_from"] <= merged["rawan_from"]:
        errors["sangat_rawan_from"] = [_("Sangat rawan starts above the score at which rawan starts.")]
    outside = Indicator.objects.filter(variable__election=scheme.election).exclude(
        weight__gte=merged["weight_min"], weight__lte=merged["weight_max"]
    )
    if not errors and outside.exists():
        errors["weight_min"] = [
            _("%(n)s indicators carry a weight outside this range; change them first.")
            % {"n": formats.number(outside.count())}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        updated: Scheme = update_versioned(actor, scheme, data, expected_version, "security.scheme_update")  # type: ignore[assignment]
        recategorise(scheme.election)
    return updated


def rescore(election: Any, assessment_ids: Iterable[int] | None = None) -> int:
    """Recompute score and category of the current assessments in SQL: one UPDATE for the scores
    (the sum of the weights of their active indicators), then the categories. Set-based, so the
    nation's assessments are re-scored without loading them. ``assessment_ids``: only these (just
    written). A changed weight moves only the scores that contain it (``shift_scores``)."""
    through = Assessment.indicators.through
    weights = (
        through.objects.filter(assessment_id=OuterRef("pk"), indicator__active=True)
        .values("assessment_id")
        .annotate(total=Sum("indicator__weight"))  # type: ignore[misc]
        .values("total")
    )
    rows = Assessment.objects.filter(election=election, current=True)
    if assessment_ids is not None:
        rows = rows.filter(pk__in=list(assessment_ids))
    n = rows.update(score=Coalesce(Subquery(weights, output_field=IntegerField()), Value(0)))
    recategorise(election, rows)
    return n


def recategorise(election: Any, rows: Any = None) -> None:
    """Each current assessment's category from its score and the scheme's thresholds (a new
    threshold needs no new score); a TPS at a lokasi khusus is khusus whatever its score."""
    scheme = scheme_for(election)
    rows = rows if rows is not None else Assessment.objects.filter(election=election, current=True)
    rows.update(
        category=Case(
            When(score__gte=scheme.sangat_rawan_from, then=Value(Category.SANGAT_RAWAN)),
            When(score__gte=scheme.rawan_from, then=Value(Category.RAWAN)),
            default=Value(Category.KURANG_RAWAN),
        )
    )
    rows.filter(tps__special_location=True).update(category=Category.KHUSUS)


# --- assessments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentRow:
    """One TPS's assessment as a form, the API or a spreadsheet row gives it."""

    tps: Any
    observed_on: dt.date
    codes: tuple[str, ...]
    note: str = ""
    evidence: str = ""


def indicator_map(election: Any) -> dict[str, Indicator]:
    return {
        i.code: i for i in Indicator.objects.filter(variable__election=election, active=True).select_related("variable")
    }


def row_errors(
    actor: Any, election: Any, row: AssessmentRow, indicators: dict[str, Indicator], first: dt.date | None = None
) -> dict[str, list[str]]:
    """What is wrong with one assessment; empty when it may be written. ``first``: the election's
    first day, when the caller checks many rows."""
    errors: dict[str, list[str]] = {}
    tps = row.tps
    if tps is None or tps.election_id != election.pk:
        errors["tps"] = [_("Unknown TPS for this election.")]
    elif actor is not None and not scoping.can(actor, "security", scoping.CHANGE, str(tps.village_id)):
        errors["tps"] = [_("%(tps)s lies outside the area you assess.") % {"tps": tps}]
    unknown = [c for c in row.codes if c not in indicators]
    if unknown:
        errors["indicators"] = [
            _("Not an indicator of this election's set: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        ]
    if not isinstance(row.observed_on, dt.date):
        errors["observed_on"] = [_("Give the day the TPS was observed.")]
    elif e := _day_errors(election, row.observed_on, _("The observation day"), first):
        errors["observed_on"] = e
    if len(row.note) > 2000:
        errors["note"] = [_("The note is at most 2,000 characters.")]
    if len(row.evidence) > NOTE_MAX:
        errors["evidence"] = [_("The evidence is at most 500 characters.")]
    return errors


def assess_tps(
    actor: Any,
    tps: Any,
    codes: Sequence[str],
    observed_on: dt.date,
    note: str = "",
    evidence: str = "",
    *,
    client_id: uuid.UUID | None = None,
) -> Assessment:
    """Record Bawaslu's reading of a TPS; the previous reading stays as history. A retried
    submission with the same client id returns the first one."""
    election = tps.election
    if client_id is not None and (found := Assessment.objects.filter(client_id=client_id).first()) is not None:
        if found.tps_id != tps.pk:
            raise ConcurrentEditError(_("This submission id was already used for another TPS; submit again."))
        return found
    row = AssessmentRow(tps, observed_on, tuple(dict.fromkeys(codes)), note.strip(), evidence.strip())
    indicators = indicator_map(election)
    if errors := row_errors(actor, election, row, indicators):
        if actor is not None and "tps" in errors and tps.election_id == election.pk:
            raise PermissionDenied(errors["tps"][0])
        raise ValidationError(errors)
    try:
        written = write_assessments(actor, election, [row], indicators, client_id=client_id)
    except IntegrityError:
        found = Assessment.objects.filter(client_id=client_id).first() if client_id is not None else None
        if found is None:
            raise
        return found
    return written[0]


def write_assessments(
    actor: Any,
    election: Any,
    rows: Sequence[AssessmentRow],
    indicators: dict[str, Indicator] | None = None,
    *,
    client_id: uuid.UUID | None = None,
    source: Any = None,
    assessor: tuple[str, Any] | None = None,
) -> list[Assessment]:
    """Write checked rows in bulk, all or nothing: earlier readings of the same TPS become history,
    the new ones are scored in SQL. One audit row per assessment. ``assessor`` (name, agency) names
    who assessed when no person signs in (the demo's PKD)."""
    indicators = indicators if indicators is not None else indicator_map(election)
    agency_cache: dict[str, Any] = {}
    name = audit.actor_name(actor) if assessor is None else assessor[0]
    with transaction.atomic():
        tps_ids = [r.tps.pk for r in rows]
        Assessment.objects.filter(tps_id__in=tps_ids, current=True).update(current=False)
        made = []
        for r in rows:
            kec = str(r.tps.village_id)[:8]
            if kec not in agency_cache:
                agency_cache[kec] = (
                    assessor[1] if assessor else _agency(actor, "security", scoping.CHANGE, str(r.tps.village_id))
                )
            made.append(
                Assessment(
                    election=election,
                    tps=r.tps,
                    village_id=r.tps.village_id,
                    observed_on=r.observed_on,
                    note=r.note,
                    evidence=r.evidence,
                    assessor=actor,
                    assessor_name=name,
                    agency=agency_cache[kec],
                    category=Category.KURANG_RAWAN,
                    source=source,
                    client_id=client_id if len(rows) == 1 else None,
                )
            )
        made = Assessment.objects.bulk_create(made)
        through = Assessment.indicators.through
        through.objects.bulk_create(
            [
                through(assessment_id=a.pk, indicator_id=indicators[c].pk)
                for a, r in zip(made, rows, strict=True)
                for c in r.codes
            ]
        )
        rescore(election, [a.pk for a in made])
        scored = {a.pk: a for a in Assessment.objects.filter(pk__in=[a.pk for a in made]).select_related("tps")}
        audit.record_many(
            actor,
            "security.assess",
            Assessment,
            (
                (
                    a.pk,
                    str(scored[a.pk]),
                    {"indicators": [None, sorted(r.codes)], "score": [None, scored[a.pk].score]},
                    str(r.tps.village_id),
                )
                for a, r in zip(made, rows, strict=True)
            ),
        )
    return [scored[a.pk] for a in made]


# --- the regional IKP ----------------------------------------------------------------------------


def published_source(publisher: str, title: str, published_on: dt.date, url: str = "") -> Any:
    """The source of a figure a user enters from a publication (an IKP): official, as of its date."""
    from core.models import Source, SourceStatus

    key = "pub-" + uuid.uuid5(uuid.NAMESPACE_URL, f"{publisher}|{title}|{published_on}|{url}").hex[:24]
    source, _created = Source.objects.get_or_create(
        key=key,
        defaults={
            "status": SourceStatus.OFFICIAL,
            "publisher": publisher[:200],
            "title": title[:300],
            "as_of": published_on,
            "url": url[:200],
        },
    )
    return source


def record_ikp(actor: Any, election: Any, data: dict[str, Any]) -> RegionalIndex:
    """Record a published IKP of a kabupaten/kota or provinsi (Bawaslu)."""
    region = data.get("region")
    _require(
        actor,
        "security",
        str(getattr(region, "pk", "")),
        _("Only Bawaslu records the IKP of a region in its area."),
    )
    errors: dict[str, list[str]] = {}
    if region is None or region.level not in (1, 2):
        errors["region"] = [_("The IKP is published for a provinsi or a kabupaten/kota.")]
    score = data.get("score")
    if score is None or not 0 <= float(score) <= 100:
        errors["score"] = [_("The IKP score lies between 0 and 100.")]
    if data.get("band") not in IkpBand.values:
        errors["band"] = [_("Choose the band as published.")]
    dims = data.get("dimensions") or {}
    known = dict(IKP_DIMENSIONS)
    if not isinstance(dims, dict) or any(k not in known for k in dims):
        errors["dimensions"] = [
            _("The dimensions are %(names)s.") % {"names": ", ".join(str(v) for v in known.values())}
        ]
    elif any(not isinstance(v, (int, float)) or not 0 <= v <= 100 for v in dims.values()):
        errors["dimensions"] = [_("A dimension's score lies between 0 and 100.")]
    if data.get("source") is None:
        errors["source"] = [_("Say where the figure was published.")]
    if errors:
        raise ValidationError(errors)
    row = RegionalIndex(election=election, **data)
    row.full_clean()
    with transaction.atomic():
        row.save()
        audit.created(actor, "security.ikp", row, ["region", "score", "band", "dimensions", "published_on", "source"])
    return row


# --- the guard -----------------------------------------------------------------------------------


def _count_errors(data: dict[str, Any], fields: Iterable[str], top: int) -> dict[str, list[str]]:
    errors = {}
    for f in fields:
        v = data.get(f, 0)
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            errors[f] = [_("A number of personnel is a whole number, zero or more.")]
        elif v > top:
            errors[f] = [_("At most %(max)s.") % {"max": formats.number(top)}]
    return errors


def _upsert(
    actor: Any,
    model: Any,
    lookup: dict[str, Any],
    values: dict[str, Any],
    action: str,
    placed: dict[str, Any] | None = None,
) -> Any:
    """The one record ``lookup`` names, created with ``values`` (and ``placed``, what fixes where it
    belongs) or changed to them: its version bumped and the change audited, old -> new."""
    with transaction.atomic():
        row, created = model.objects.select_for_update().get_or_create(**lookup, defaults={**(placed or {}), **values})
        if created:
            audit.created(actor, action, row, [*lookup, *values])
            return row
        old = audit.snapshot(row, list(values))
        model.objects.filter(pk=row.pk).update(version=row.version + 1, **values)
        row.refresh_from_db()
        audit.record(actor, action, row, audit.diff(old, audit.snapshot(row, list(values))))
    return row


def _require_polres(actor: Any, agency: Any) -> None:
    if actor is None:
        return
    if agency is None or not any(
        scoping.can(actor, "security_deployment", scoping.CHANGE, c) for c in agency.area_codes
    ):
        raise PermissionDenied(_("Only Polri and the TNI of this area set its guard."))


def set_pattern(actor: Any, election: Any, agency: Any, category: str, polri: int, tps: int, linmas: int) -> Pattern:
    """Set a Polres's pattern for a category (the election's default when ``agency`` is None)."""
    if agency is None:
        _require(actor, "security_deployment", str(election.region_id), _("Only Polri sets the default patterns."))
    else:
        _require_polres(actor, agency)
    data = {"polri": polri, "tps": tps, "linmas": linmas}
    errors = _count_errors(data, data, MAX_PATTERN)
    if category not in Category.values:
        errors["category"] = [_("Unknown category.")]
    if "tps" not in errors and tps == 0:
        errors["tps"] = [_("A pattern guards at least one TPS.")]
    if "polri" not in errors and polri == 0 and linmas == 0:
        errors["polri"] = [_("A pattern puts at least one officer or Linmas at its TPS.")]
    if errors:
        raise ValidationError(errors)
    lookup = {"election": election, "agency": agency, "category": category}
    return _upsert(actor, Pattern, lookup, data, "security.pattern")  # type: ignore[no-any-return]


POOL_FIELDS = ("organic", "bko", "brimob", "urc_platoons", "tni", "linmas")


def set_pool(actor: Any, election: Any, agency: Any, unit: str, region: Any, counts: dict[str, Any]) -> ForcePool:
    """Set the personnel of a Polres's unit (a Polsek, or its headquarters)."""
    _require_polres(actor, agency)
    errors = _count_errors(counts, POOL_FIELDS, MAX_PERSONNEL)
    unit = (unit or "").strip()
    if not unit or len(unit) > 100:
        errors["unit"] = [_("Name the unit in at most 100 characters.")]
    if region is None or (not agency.covers(str(region.pk)) and str(region.pk) != str(agency.region_id)):
        errors["region"] = [_("The unit's area lies inside the Polres's jurisdiction.")]
    if errors:
        raise ValidationError(errors)
    values = {"region": region, **{f: counts.get(f, 0) for f in POOL_FIELDS}}
    lookup = {"election": election, "agency": agency, "unit": unit}
    return _upsert(actor, ForcePool, lookup, values, "security.pool")  # type: ignore[no-any-return]


GUARD_FIELDS = ["category", "unit", "polri", "tni", "linmas", "names"]


def set_guard(actor: Any, tps: Any, data: dict[str, Any]) -> TpsGuard:
    """Polri's category of a TPS and the guard it assigns there."""
    _require(
        actor,
        "security_deployment",
        str(tps.village_id),
        _("Only Polri and the TNI of this area set the guard of this TPS."),
    )
    errors = _count_errors(data, ("polri", "tni", "linmas"), MAX_PATTERN)
    if data.get("category") not in Category.values:
        errors["category"] = [_("Choose Polri's category of the TPS.")]
    if len(data.get("unit", "")) > 100:
        errors["unit"] = [_("At most 100 characters.")]
    if len(data.get("names", "")) > 300:
        errors["names"] = [_("At most 300 characters.")]
    if errors:
        raise ValidationError(errors)
    values = {f: data.get(f, "" if f in ("unit", "names") else 0) for f in GUARD_FIELDS}
    placed = {"election": tps.election, "village_id": tps.village_id}
    return _upsert(actor, TpsGuard, {"tps": tps}, values, "security.guard", placed)  # type: ignore[no-any-return]


def set_situation(actor: Any, election: Any, region: Any, level: str, note: str = "") -> SituationStatus:
    """The day's situation in a kecamatan (the desk's today); the latest of the day counts."""
    _require(
        actor,
        "security_status",
        str(region.pk),
        _("Only the Polsek, the Koramil or the camat sets the situation of this kecamatan."),
    )
    errors: dict[str, list[str]] = {}
    if region.level != 3:
        errors["region"] = [_("The situation is set per kecamatan.")]
    if level not in Situation.values:
        errors["level"] = [_("Choose aman, waspada or siaga.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("The note is at most 500 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = SituationStatus.objects.create(
            election=election,
            region=region,
            day=dates.today(),
            level=level,
            note=note.strip(),
            agency=_agency(actor, "security_status", scoping.CHANGE, str(region.pk)),
            set_by=actor,
            set_by_name=audit.actor_name(actor),
        )
        audit.created(actor, "security.situation", row, ["region", "day", "level", "note"])
    return row


# --- incidents -----------------------------------------------------------------------------------

INCIDENT_FIELDS = ["kind", "severity", "occurred_at", "region", "tps", "lat", "lng", "title", "description"]


def _incident_errors(election: Any, data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.get("kind") not in IncidentKind.values:
        errors["kind"] = [_("Choose what kind of incident it was.")]
    if data.get("severity") not in Severity.values:
        errors["severity"] = [_("Choose how severe it was.")]
    at = data.get("occurred_at")
    if not isinstance(at, dt.datetime):
        errors["occurred_at"] = [_("Give the day and hour it happened.")]
    elif at > dates.now(election.timezone):
        errors["occurred_at"] = [_("The time lies in the future: report it once it happened.")]
    elif at.astimezone(formats.zone(election)).date() < first_day(election):
        errors["occurred_at"] = [
            _("The time lies before the election's first stage (%(day)s).") % {"day": formats.day(first_day(election))}
        ]
    region, tps = data.get("region"), data.get("tps")
    if region is None or region.level not in (3, 4):
        errors["region"] = [_("Say where it happened: a desa/kelurahan or a kecamatan.")]
    if tps is not None and (
        tps.election_id != election.pk or (region and not scoping.in_subtree(str(tps.village_id), str(region.pk)))
    ):
        errors["tps"] = [_("The TPS lies outside the place given.")]
    lat, lng = data.get("lat"), data.get("lng")
    if (lat is None) != (lng is None):
        errors["lat"] = [_("Give both latitude and longitude, or neither.")]
    elif lat is not None and lng is not None and not (-11.5 <= lat <= 6.5 and 94.5 <= lng <= 141.5):
        errors["lat"] = [_("The coordinates lie outside Indonesia.")]
    if not (data.get("title") or "").strip() or len(data.get("title", "")) > 200:
        errors["title"] = [_("Say in at most 200 characters what happened.")]
    if not (data.get("description") or "").strip():
        errors["description"] = [_("Describe what happened.")]
    elif len(data["description"]) > 5000:
        errors["description"] = [_("The description is at most 5,000 characters.")]
    return errors


def report_incident(
    actor: Any,
    election: Any,
    data: dict[str, Any],
    photos: Sequence[Any] = (),
    *,
    client_id: uuid.UUID | None = None,
    source: Any = None,
    reported_at: dt.datetime | None = None,
) -> Incident:
    """Any agency reports an incident in its area. A retried submission with the same client id
    returns the first report; the same id with another content is refused."""
    if client_id is not None and (found := Incident.objects.filter(client_id=client_id).first()) is not None:
        return _replayed(found, data)
    data = {k: data.get(k) for k in INCIDENT_FIELDS}
    if data["tps"] is not None and data["region"] is None:
        data["region"] = data["tps"].village
    errors = _incident_errors(election, data)
    if "region" not in errors:
        _require(
            actor,
            "security_incidents",
            str(data["region"].pk),
            _("You report incidents in your own area only."),
        )
    checked = []
    for upload in photos:
        try:
            checked.append((upload, documents.check(upload, settings.INCIDENT_PHOTO_MAX_BYTES, "photos")))
        except ValidationError as e:
            errors.setdefault("photos", []).extend(e.messages)
    for _upload, c in checked:
        if c.extension not in ("jpg", "png"):
            errors.setdefault("photos", []).append(_("A photo is a JPEG or PNG picture."))
    if errors:
        raise ValidationError(errors)
    data["title"], data["description"] = data["title"].strip(), data["description"].strip()
    try:
        with transaction.atomic():
            incident = Incident.objects.create(
                election=election,
                agency=_agency(actor, "security_incidents", scoping.CHANGE, str(data["region"].pk)),
                reported_by=actor,
                reporter_name=audit.actor_name(actor),
                reported_at=reported_at or dates.stamp(),
                source=source,
                client_id=client_id,
                **data,
            )
            IncidentStep.objects.create(
                incident=incident,
                status=IncidentStatus.REPORTED,
                at=incident.reported_at,
                by=actor,
                by_name=audit.actor_name(actor),
            )
            for upload, c in checked:
                upload.seek(0)
                IncidentPhoto.objects.create(
                    incident=incident,
                    file=upload,
                    filename=documents.safe_filename(upload.name, c.extension),
                    content_type=c.content_type,
                    size=upload.size,
                )
            audit.created(actor, "security.incident", incident, INCIDENT_FIELDS, omit_blank=True)
    except IntegrityError:
        found = Incident.objects.filter(client_id=client_id).first() if client_id is not None else None
        if found is None:
            raise
        return _replayed(found, data)
    return incident


def _replayed(found: Incident, data: dict[str, Any]) -> Incident:
    if (found.title, found.kind) != ((data.get("title") or "").strip(), data.get("kind")):
        raise ConcurrentEditError(_("This submission id was already used for another report; submit again."))
    return found


def advance_incident(actor: Any, incident: Incident, status: str, note: str, expected_version: int) -> Incident:
    """Move an incident one step on (reported → verified → handled → closed), with who and why."""
    _require(
        actor,
        "security_followup",
        str(incident.region_id),
        _("Only the Desk, Bawaslu, Polri and the TNI follow incidents up."),
    )
    expected = NEXT_STATUS.get(IncidentStatus(incident.status))
    if expected is None:
        raise ValidationError({"status": [_("The incident is closed.")]})
    if status != expected:
        raise ValidationError(
            {
                "status": [
                    _("From “%(now)s” the incident moves to “%(next)s”, not “%(asked)s”.")
                    % {
                        "now": incident.get_status_display(),
                        "next": expected.label,
                        "asked": dict(IncidentStatus.choices).get(status, status),
                    }
                ]
            }
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Say what was done or found.")]})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [_("The note is at most 500 characters.")]})
    with transaction.atomic():
        updated: Incident = update_versioned(  # type: ignore[assignment]
            actor, incident, {"status": status, "status_note": note}, expected_version, "security.incident_step"
        )
        IncidentStep.objects.create(
            incident=updated, status=status, by=actor, by_name=audit.actor_name(actor), note=note
        )
    return updated


def refer_incident(actor: Any, incident: Incident, note: str, expected_version: int) -> Incident:
    """Refer an incident to Bawaslu as a possible violation; the referral is kept on the incident."""
    _require(
        actor,
        "security_followup",
        str(incident.region_id),
        _("Only the Desk, Bawaslu, Polri and the TNI follow incidents up."),
    )
    if incident.referred_at is not None:
        raise ValidationError(_("The incident was already referred to Bawaslu."))
    note = (note or "").strip()
    if not note or len(note) > NOTE_MAX:
        raise ValidationError({"note": [_("Say in at most 500 characters why it may be a violation.")]})
    return update_versioned(  # type: ignore[return-value]
        actor,
        incident,
        {"referred_at": dates.stamp(), "referred_by_name": audit.actor_name(actor), "referral_note": note},
        expected_version,
        "security.incident_refer",
    )
