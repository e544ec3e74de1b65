"""The write path for elections, contests, candidate pairs and stages: KPU sets them, audited.

Each function checks the actor's right in the record's region (``core.scoping.can``), validates,
writes inside a transaction and records the audit row in the same transaction. Updates go through
``core.actions.update_versioned`` so a stale version is refused (HTTP 409 in the API).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core import audit, formats, scoping
from core.actions import update_versioned
from elections.models import CandidatePair, Contest, ContestKind, Election, Stage
from regions.models import Region, RegionKind

ELECTION_FIELDS = ["name", "kind", "region", "voting_date", "timezone", "max_voters_per_tps"]
CONTEST_FIELDS = ["kind", "region", "name", "voting_date", "effective_from", "revote_of", "revote_basis"]
PAIR_FIELDS = ["number", "head_name", "deputy_name", "parties", "independent"]
STAGE_FIELDS = ["name", "start", "end", "basis"]
TIMEZONES = tuple(formats.ZONES)  # WIB, WITA, WIT: the zones core writes moments in
# Which region kind each contest is held in.
CONTEST_REGION_KIND = {
    ContestKind.GOVERNOR: (RegionKind.PROVINSI,),
    ContestKind.REGENT: (RegionKind.KABUPATEN,),
    ContestKind.MAYOR: (RegionKind.KOTA,),
}


def may_change(actor: Any, region_code: str | None) -> bool:
    """KPU (operator or admin) may write here; a nationwide record (no region) needs a nationwide right.

    Seeing a record is wider: a province-wide election is visible from a kabupaten, but only
    KPU with the whole province in scope changes it.
    """
    if region_code is None:
        return None in scoping.grants(actor, "elections", scoping.CHANGE)
    return scoping.can(actor, "elections", scoping.CHANGE, region_code)


def _require(actor: Any, region_code: str | None, message: str) -> None:
    if actor is not None and not may_change(actor, region_code):
        raise PermissionDenied(message)


def _region_code(value: Any) -> str | None:
    if value is None:
        return None
    return str(value.pk) if isinstance(value, Region) else str(value)


def _create(actor: Any, obj: models.Model, fields: list[str], action: str) -> Any:
    obj.full_clean()
    with transaction.atomic():
        obj.save()
        audit.created(actor, action, obj, fields, omit_blank=True)
    return obj


def _merged(obj: models.Model, fields: list[str], data: dict[str, Any]) -> Any:
    """An unsaved copy of ``obj`` with ``data`` applied, to check the domain rules before writing."""
    probe = type(obj)(**{f: getattr(obj, f) for f in fields})
    probe.pk = obj.pk
    for k, v in data.items():
        setattr(probe, k, v)
    return probe


# --- dates ------------------------------------------------------------------------------------

# Election dates lie in this range: a year 9999 is a typo, and date sums on it would overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _date_errors(obj: Any, fields: tuple[str, ...]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in fields:
        value = getattr(obj, name, None)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            errors[name] = [
                _("The date must lie between the years %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            ]
    return errors


# --- elections -------------------------------------------------------------------------------


def _check_election(e: Election) -> None:
    if errors := _date_errors(e, ("voting_date",)):
        raise ValidationError(errors)
    if e.timezone not in TIMEZONES:
        raise ValidationError(
            {"timezone": _("Use one of the Indonesian time zones: %(zones)s.") % {"zones": ", ".join(TIMEZONES)}}
        )
    if e.max_voters_per_tps is not None and e.max_voters_per_tps < 1:
        raise ValidationError({"max_voters_per_tps": _("A TPS serves at least one voter.")})


def create_election(actor: Any, data: dict[str, Any]) -> Election:
    election = Election(**data)
    _require(actor, _region_code(election.region_id), _("You may not create an election in this area."))
    _check_election(election)
    return _create(actor, election, ELECTION_FIELDS, "election.create")  # type: ignore[no-any-return]


def update_election(actor: Any, election: Election, data: dict[str, Any], expected_version: int) -> Election:
    msg = _("You may not change elections in this area.")
    _require(actor, _region_code(election.region_id), msg)
    if "region" in data:
        _require(actor, _region_code(data["region"]), msg)
    _check_election(_merged(election, ELECTION_FIELDS, data))
    return update_versioned(actor, election, data, expected_version, "election.update")  # type: ignore[return-value]


# --- contests --------------------------------------------------------------------------------


def _check_contest(c: Contest) -> None:
    errors: dict[str, list[str]] = _date_errors(c, ("voting_date", "effective_from"))
    region = c.region if c.region_id else None
    election = c.election
    if region is not None:
        if election.region_id and not scoping.in_subtree(region.code, str(election.region_id)):
            errors.setdefault("region", []).append(
                _("The contest's region must lie inside the election's region (%(code)s).")
                % {"code": election.region_id}
            )
        if c.kind in CONTEST_REGION_KIND and region.kind not in CONTEST_REGION_KIND[c.kind]:  # type: ignore[index]
            errors.setdefault("region", []).append(
                _("A %(contest)s contest is held in a %(kind)s, not in a %(actual)s.")
                % {
                    "contest": c.get_kind_display(),
                    "kind": RegionKind(CONTEST_REGION_KIND[c.kind][0]).label,  # type: ignore[index]
                    "actual": region.get_kind_display(),
                }
            )
    original = c.revote_of
    if original is not None:
        if original.pk == c.pk:
            errors.setdefault("revote_of", []).append(_("A contest cannot be a re-vote of itself."))
        elif original.election_id != c.election_id or original.region_id != c.region_id:
            errors.setdefault("revote_of", []).append(
                _("A re-vote repeats a contest of the same election in the same region.")
            )
        if not c.voting_date:
            errors.setdefault("voting_date", []).append(_("A re-vote (PSU) has its own voting day."))
        elif c.voting_date <= original.day:
            errors.setdefault("voting_date", []).append(
                _("A re-vote comes after the original voting day (%(day)s).") % {"day": formats.day(original.day)}
            )
        if not c.revote_basis:
            errors.setdefault("revote_basis", []).append(_("Name the decision that ordered the re-vote."))
    if c.effective_from and c.voting_date and c.effective_from > c.voting_date:
        errors.setdefault("effective_from", []).append(_("The legal basis must come before the voting day."))
    if errors:
        raise ValidationError(errors)


def create_contest(actor: Any, election: Election, data: dict[str, Any]) -> Contest:
    contest = Contest(election=election, **data)
    _require(actor, _region_code(contest.region_id), _("You may not add a contest in this area."))
    _check_contest(contest)
    return _create(actor, contest, CONTEST_FIELDS, "contest.create")  # type: ignore[no-any-return]


def update_contest(actor: Any, contest: Contest, data: dict[str, Any], expected_version: int) -> Contest:
    msg = _("You may not change contests in this area.")
    _require(actor, _region_code(contest.region_id), msg)
    if "region" in data:
        _require(actor, _region_code(data["region"]), msg)
    probe = _merged(contest, CONTEST_FIELDS, data)
    probe.election = contest.election
    _check_contest(probe)
    return update_versioned(actor, contest, data, expected_version, "contest.update")  # type: ignore[return-value]


# --- candidate pairs -------------------------------------------------------------------------


def _check_pair(p: CandidatePair) -> None:
    clash = CandidatePair.objects.filter(contest_id=p.contest_id, number=p.number).exclude(pk=p.pk)
    if p.number is not None and clash.exists():
        raise ValidationError({"number": _("Ballot number %(n)s is already taken in this contest.") % {"n": p.number}})
    if p.number is not None and p.number < 1:
        raise ValidationError({"number": _("Ballot numbers start at 1.")})


def create_pair(actor: Any, contest: Contest, data: dict[str, Any]) -> CandidatePair:
    _require(actor, str(contest.region_id), _("You may not add candidate pairs in this area."))
    pair = CandidatePair(contest=contest, **data)
    _check_pair(pair)
    return _create(actor, pair, PAIR_FIELDS, "pair.create")  # type: ignore[no-any-return]


def update_pair(actor: Any, pair: CandidatePair, data: dict[str, Any], expected_version: int) -> CandidatePair:
    _require(actor, str(pair.contest.region_id), _("You may not change candidate pairs in this area."))
    probe = _merged(pair, PAIR_FIELDS, data)
    probe.contest_id = pair.contest_id
    _check_pair(probe)
    return update_versioned(actor, pair, data, expected_version, "pair.update")  # type: ignore[return-value]


# --- stages ----------------------------------------------------------------------------------


def _check_stage(s: Stage) -> None:
    if errors := _date_errors(s, ("start", "end")):
        raise ValidationError(errors)
    if s.start and s.end and s.end < s.start:
        raise ValidationError({"end": _("A stage cannot end before it starts.")})


def create_stage(actor: Any, election: Election, data: dict[str, Any]) -> Stage:
    _require(actor, _region_code(election.region_id), _("You may not change this election's stages."))
    stage = Stage(election=election, **data)
    _check_stage(stage)
    return _create(actor, stage, STAGE_FIELDS, "stage.create")  # type: ignore[no-any-return]


def update_stage(actor: Any, stage: Stage, data: dict[str, Any], expected_version: int) -> Stage:
    _require(actor, _region_code(stage.election.region_id), _("You may not change this election's stages."))
    _check_stage(_merged(stage, STAGE_FIELDS, data))
    return update_versioned(actor, stage, data, expected_version, "stage.update")  # type: ignore[return-value]
