"""The write path for participation: targets and turnout history (an admin of the Desk or KPU),
outreach events and voting-day turnout reports (the Desk, KPU, PPK and PPS of the area).

Each function checks the actor's right (``core.scoping``), validates everything first and writes
nothing when something is wrong, writes in one transaction and records the audit row in it.
``actor=None`` is the demo loader and the tests' fixtures.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import audit, dates, documents, formats, scoping
from core.actions import ConcurrentEditError
from core.models import Source, SourceStatus
from participation.models import Audience, Outreach, OutreachPhoto, Target, TurnoutHistory, TurnoutReport

MAX_PHOTOS = 5
ONLY_MANAGERS = _("Only an admin of the Desk Pilkada or KPU of this area sets targets and turnout history.")
ONLY_WRITERS = _("Only the Desk Pilkada, KPU, PPK or PPS of this area records this.")
SOURCE_FIELDS = ("status", "publisher", "title", "as_of", "url", "note")


def _percent(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Give a percentage between 0 and 100.")]
        return None
    if not d.is_finite() or not Decimal(0) <= d <= Decimal(100):
        errors[field] = [_("A percentage lies between 0 and 100 (%(v)s given).") % {"v": value}]
        return None
    return d.quantize(Decimal("0.01"))


def _source(data: dict[str, Any], errors: dict[str, list[str]]) -> Source | None:
    """The source a figure cites: an existing ``Source`` or its fields (a new one is written)."""
    given = data.get("source")
    if isinstance(given, Source):
        return given
    fields = {f: data.get(f"source_{f}") for f in SOURCE_FIELDS}
    if fields["status"] not in SourceStatus.values:
        errors["source_status"] = [_("Choose one of the list.")]
    for f, limit in (("publisher", 200), ("title", 300)):
        value = (fields[f] or "").strip()
        if not value or len(value) > limit:
            errors[f"source_{f}"] = [_("Give it in at most %(n)s characters.") % {"n": limit}]
    if not isinstance(fields["as_of"], dt.date):
        errors["source_as_of"] = [_("Give the date.")]
    return None


def _new_source(data: dict[str, Any]) -> Source:
    given = data.get("source")
    if isinstance(given, Source):
        return given
    return Source.objects.create(
        key=f"participation-{uuid.uuid4().hex[:16]}",
        status=data["source_status"],
        publisher=data["source_publisher"].strip(),
        title=data["source_title"].strip(),
        as_of=data["source_as_of"],
        url=(data.get("source_url") or "").strip(),
        note=(data.get("source_note") or "").strip()[:500],
    )


def _in_election(election: Any, region: Any) -> bool:
    return election.region_id is None or scoping.in_subtree(str(region.pk), str(election.region_id))


# --- targets and history (admins) ------------------------------------------------------------------


def add_target(actor: Any, election: Any, data: dict[str, Any]) -> Target:
    """Record a target as it was cited: value, region, when and where cited, and its source."""
    region = data.get("region")
    errors: dict[str, list[str]] = {}
    if region is None or not _in_election(election, region) or region.level > 2:
        errors["region"] = [_("The target is for the election's region, a province or a kabupaten/kota in it.")]
    else:
        scoping.require(actor, "participation", scoping.MANAGE, str(region.pk), ONLY_MANAGERS)
    value = _percent(data.get("value"), "value", errors)
    cited_on = data.get("cited_on")
    if not isinstance(cited_on, dt.date):
        errors["cited_on"] = [_("Give the date.")]
    elif cited_on > dates.today():
        errors["cited_on"] = [_("The day cannot be after today (%(d)s).") % {"d": formats.day(dates.today())}]
    cited_at = (data.get("cited_at") or "").strip()
    if len(cited_at) > 300:
        errors["cited_at"] = [_("At most %(n)s characters.") % {"n": 300}]
    _source(data, errors)
    if errors:
        raise ValidationError(errors)
    assert region is not None and value is not None and isinstance(cited_on, dt.date)
    with transaction.atomic():
        target = Target.objects.create(
            election=election,
            region=region,
            value=value,
            cited_on=cited_on,
            cited_at=cited_at,
            source=_new_source(data),
        )
        audit.created(actor, "participation.target", target, ["region", "value", "cited_on", "cited_at"])
    return target


def history_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    """Everything wrong with one turnout history figure (the form, the API and the import share it)."""
    errors: dict[str, list[str]] = {}
    region = data.get("region")
    if region is None:
        errors["region"] = [_("Give the region.")]
    label = (data.get("label") or "").strip()
    if not label or len(label) > 100:
        errors["label"] = [_('Name the election in at most 100 characters, e.g. "Pilkada 2020".')]
    elif region is not None and TurnoutHistory.objects.filter(region=region, label__iexact=label).exists():
        errors["label"] = [_("%(place)s already has a figure for %(label)s.") % {"place": region.name, "label": label}]
    if not isinstance(data.get("held_on"), dt.date):
        errors["held_on"] = [_("Give the date.")]
    if not isinstance(data.get("as_of"), dt.date):
        errors["as_of"] = [_("Give the date.")]
    elif isinstance(data.get("held_on"), dt.date) and data["as_of"] < data["held_on"]:
        errors["as_of"] = [_("A turnout is known only after its voting day.")]
    dpt, voters, percent = data.get("dpt"), data.get("voters"), data.get("percent")
    for f, v in (("dpt", dpt), ("voters", voters)):
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
            errors[f] = [_("Give a whole number, 0 or more.")]
    if "dpt" in errors or "voters" in errors:
        return errors
    if dpt is not None and voters is not None:
        if dpt == 0:
            errors["dpt"] = [_("The DPT cannot be 0.")]
        elif voters > dpt:
            errors["voters"] = [
                _("More voters (%(v)s) than the DPT (%(d)s): turnout cannot exceed 100%%.")
                % {"v": formats.number(voters), "d": formats.number(dpt)}
            ]
    elif percent in (None, ""):
        errors["percent"] = [_("Give the DPT and the voters who voted, or the published turnout.")]
    if percent not in (None, ""):
        _percent(percent, "percent", errors)
    return errors


def add_history(actor: Any, data: dict[str, Any]) -> TurnoutHistory:
    region = data.get("region")
    if region is not None:
        scoping.require(actor, "participation", scoping.MANAGE, str(region.pk), ONLY_MANAGERS)
    errors = history_errors(data)
    _source(data, errors)
    if errors:
        raise ValidationError(errors)
    percent = data.get("percent")
    assert region is not None
    with transaction.atomic():
        row = TurnoutHistory.objects.create(
            region=region,
            label=data["label"].strip(),
            held_on=data["held_on"],
            dpt=data.get("dpt"),
            voters=data.get("voters"),
            percent=_percent(percent, "percent", {}) if percent not in (None, "") else None,
            as_of=data["as_of"],
            source=_new_source(data),
        )
        audit.created(actor, "participation.history", row, ["region", "label", "dpt", "voters", "percent", "as_of"])
    return row


# --- outreach -------------------------------------------------------------------------------------


def outreach_window(election: Any) -> tuple[dt.date, dt.date]:
    """The days an outreach event may be held: from the first stage to the day before voting day."""
    Stage = apps.get_model("elections", "Stage")
    first = Stage.objects.filter(election=election).order_by("start").values_list("start", flat=True).first()
    last = election.voting_date - dt.timedelta(days=1)
    return (first or last), last


def outreach_errors(election: Any, data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    region = data.get("region")
    if region is None or region.level not in (3, 4) or not _in_election(election, region):
        errors["region"] = [_("The place is a kecamatan or desa/kelurahan of the election's region.")]
    held_on = data.get("held_on")
    start, end = outreach_window(election)
    if not isinstance(held_on, dt.date):
        errors["held_on"] = [_("Give the date.")]
    elif not start <= held_on <= end:
        errors["held_on"] = [
            _("An outreach event lies within the election's stages, from %(start)s to %(end)s (before voting day).")
            % {"start": formats.day(start), "end": formats.day(end)}
        ]
    elif held_on > dates.today():
        errors["held_on"] = [_("The day cannot be after today (%(d)s).") % {"d": formats.day(dates.today())}]
    audience = list(data.get("audience") or [])
    if not audience or any(a not in Audience.values for a in audience):
        errors["audience"] = [_("Choose who it was for (one or more of the list).")]
    attendance = data.get("attendance")
    if not isinstance(attendance, int) or isinstance(attendance, bool):
        errors["attendance"] = [_("Give how many attended.")]
    elif attendance < 0:
        errors["attendance"] = [_("Attendance cannot be negative.")]
    elif attendance > 100000:
        errors["attendance"] = [_("At most %(n)s.") % {"n": formats.number(100000)}]
    if len((data.get("venue") or "").strip()) > 200:
        errors["venue"] = [_("At most %(n)s characters.") % {"n": 200}]
    if len((data.get("notes") or "").strip()) > 5000:
        errors["notes"] = [_("At most %(n)s characters.") % {"n": 5000}]
    return errors


def _checked_photos(files: Sequence[Any], errors: dict[str, list[str]]) -> list[tuple[Any, Any]]:
    if len(files) > MAX_PHOTOS:
        errors["photos"] = [_("At most %(n)s files at once.") % {"n": MAX_PHOTOS}]
        return []
    checked = []
    for upload in files:
        try:
            c = documents.check(upload, settings.OUTREACH_PHOTO_MAX_BYTES, "photos")
        except ValidationError as e:
            errors.setdefault("photos", []).extend(e.messages)
            continue
        if not c.content_type.startswith("image/"):
            errors.setdefault("photos", []).append(_("%(name)s is not a photo (JPEG or PNG).") % {"name": c.filename})
            continue
        checked.append((upload, c))
    return checked


def _agency(actor: Any, code: str) -> Any:
    if actor is None:
        return None
    agency_id = scoping.acting_agency_id(actor, "participation", scoping.CHANGE, code)
    return apps.get_model("agencies", "Agency").objects.filter(pk=agency_id).first() if agency_id else None


def record_outreach(
    actor: Any,
    election: Any,
    data: dict[str, Any],
    photos: Sequence[Any] = (),
    *,
    client_id: uuid.UUID | None = None,
    source: Any = None,
) -> Outreach:
    """Record an outreach event held by the actor's agency. A retry with the same client id returns
    the first record; the same id with another event is refused."""
    if client_id is not None and (found := Outreach.objects.filter(client_id=client_id).first()) is not None:
        scoping.require(actor, "participation", scoping.CHANGE, str(found.region_id), ONLY_WRITERS)
        return _replayed_outreach(found, election, data)
    errors = outreach_errors(election, data)
    if "region" not in errors:
        scoping.require(actor, "participation", scoping.CHANGE, str(data["region"].pk), ONLY_WRITERS)
    checked = _checked_photos(photos, errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            event = Outreach.objects.create(
                election=election,
                held_on=data["held_on"],
                region=data["region"],
                venue=(data.get("venue") or "").strip(),
                agency=_agency(actor, str(data["region"].pk)),
                audience=[a for a in Audience.values if a in data["audience"]],
                attendance=data["attendance"],
                notes=(data.get("notes") or "").strip(),
                source=source,
                client_id=client_id,
            )
            audit.created(
                actor, "participation.outreach", event, ["held_on", "region", "venue", "audience", "attendance"]
            )
            for upload, c in checked:
                upload.seek(0)
                photo = OutreachPhoto.objects.create(
                    outreach=event, file=upload, filename=c.filename, content_type=c.content_type, size=upload.size
                )
                audit.record(actor, "participation.photo", photo, {"filename": [None, photo.filename]})
    except IntegrityError:
        found = Outreach.objects.filter(client_id=client_id).first() if client_id is not None else None
        if found is None:
            raise
        scoping.require(actor, "participation", scoping.CHANGE, str(found.region_id), ONLY_WRITERS)
        return _replayed_outreach(found, election, data)
    return event


def _replayed_outreach(found: Outreach, election: Any, data: dict[str, Any]) -> Outreach:
    mine = (election.pk, getattr(data.get("region"), "pk", None), data.get("held_on"), data.get("attendance"))
    if (found.election_id, found.region_id, found.held_on, found.attendance) != mine:
        raise ConcurrentEditError(_("This submission id was already used for another record; submit again."))
    return found


# --- voting day ------------------------------------------------------------------------------------


def report_errors(election: Any, tps: Any, voters: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = dates.today()
    if today < election.voting_date:
        errors["tps"] = [
            _("Turnout is reported from voting day (%(d)s) on.") % {"d": formats.day(election.voting_date)}
        ]
    if tps is None or tps.election_id != election.pk:
        errors["tps"] = [_("Choose a TPS of this election.")]
    if not isinstance(voters, int) or isinstance(voters, bool):
        errors["voters"] = [_("Give how many voted.")]
    elif voters < 0:
        errors["voters"] = [_("The number of voters cannot be negative.")]
    elif tps is not None and voters > (most := tps.dpt + tps.dptb_expected + tps.dpph_expected):
        errors["voters"] = [
            _("More voters (%(v)s) than this TPS can have: DPT %(dpt)s + DPTb %(b)s + DPPh %(p)s = %(most)s.")
            % {
                "v": formats.number(voters),
                "dpt": formats.number(tps.dpt),
                "b": formats.number(tps.dptb_expected),
                "p": formats.number(tps.dpph_expected),
                "most": formats.number(most),
            }
        ]
    return errors


def report_turnout(
    actor: Any, election: Any, tps: Any, voters: Any, *, client_id: uuid.UUID | None = None, source: Any = None
) -> TurnoutReport:
    """Voters who voted at ``tps``, reported on voting day or after. It supersedes the TPS's earlier
    report; a retry with the same client id returns the first."""
    if client_id is not None and (found := TurnoutReport.objects.filter(client_id=client_id).first()) is not None:
        scoping.require(actor, "participation", scoping.CHANGE, str(found.village_id), ONLY_WRITERS)
        if (found.tps_id, found.voters) != (getattr(tps, "pk", None), voters):
            raise ConcurrentEditError(_("This submission id was already used for another record; submit again."))
        return found
    if tps is not None:
        scoping.require(actor, "participation", scoping.CHANGE, str(tps.village_id), ONLY_WRITERS)
    errors = report_errors(election, tps, voters)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            # the TPS row is the lock: two reports of one TPS at once queue here, so exactly one stays current
            type(tps).objects.select_for_update().filter(pk=tps.pk).first()
            TurnoutReport.objects.filter(tps=tps, current=True).update(current=False)
            report = TurnoutReport.objects.create(
                election=election,
                tps=tps,
                village_id=tps.village_id,
                voters=voters,
                reported_on=dates.today(),
                agency=_agency(actor, str(tps.village_id)),
                by=actor if actor is not None and actor.is_authenticated else None,
                source=source,
                client_id=client_id,
            )
            audit.created(actor, "participation.turnout", report, ["tps", "voters", "reported_on"])
    except IntegrityError:
        found = TurnoutReport.objects.filter(client_id=client_id).first() if client_id is not None else None
        if found is None:
            raise
        return found
    return report
