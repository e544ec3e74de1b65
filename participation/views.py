"""Participation pages: a region's dashboard (targets, history, gap, focus list, outreach, voting
day), the outreach form and list, the turnout report form, the targets and history of an admin, the
public figures and the gap table as a spreadsheet."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import dates, scoping
from core.exports import download, export_name
from core.forms import add_action_errors
from core.provenance import Reference, badge
from core.spreadsheets import ImportFailed
from elections.selectors import election_or_404, public_election
from participation import actions, importers, selectors
from participation.forms import HistoryForm, HistoryImportForm, OutreachForm, TargetForm, TurnoutReportForm
from participation.models import OutreachPhoto
from regions.boundaries import feature_collection
from regions.models import PollingStation, Region
from regions.selectors import figure_badges, totals, tps_in

LIST_LIMIT = 10
PAGE = 200
PLACES_LIMIT = 3000


def _require_reader(request: HttpRequest) -> None:
    if not selectors.may_read(request.user):
        raise Http404(_("Not found."))


def target_badges(rows: list[Any]) -> dict[str, Any]:
    """Each target's own badge, and the badge of them all (which says when they disagree)."""
    return {
        "each": [(t, badge([Reference(t.value, t.source)])) for t in rows],  # type: ignore[arg-type]
        "all": badge([Reference(t.value, t.source) for t in rows]),  # type: ignore[arg-type]
    }


def history_rows(rows: list[Any]) -> list[tuple[Any, Any]]:
    return [(h, badge([Reference(h.turnout, h.source)])) for h in rows]  # type: ignore[arg-type]


def _dpt_badges(election: Any, place: Region, rows: list[dict[str, Any]]) -> None:
    """Each gap row's DPT badge: the official figures stated for the place and whether the TPS
    registry's sum differs, or "illustrative" where the registry holds the demo's spread."""
    tps = PollingStation.objects.filter(election=election)
    children = {r["code"]: {"tps": r["tps"], "dpt": r["dpt"]} for r in rows}
    _own, badges = figure_badges(election, place.code, totals(tps_in(tps, place)), children)
    for r in rows:
        r["dpt_badge"] = badges.get(r["code"], {}).get("dpt")


def _figures(election: Any, place: Region) -> dict[str, Any]:
    today = dates.today()
    gap = selectors.gap(election, place, today)
    _dpt_badges(election, place, gap["rows"])
    return {
        "targets": gap["target"],
        "target_badges": target_badges(gap["target"]["rows"]),
        "history": history_rows(selectors.history(place.code, today)),
        "last": selectors.last_turnout(place.code, today),
        "gap": gap,
        "voting_day": selectors.voting_day(election, place.code, today),
        "outreach_totals": selectors.outreach_totals(election, place.code, today),
        "formula": selectors.formula(),
    }


@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    _require_reader(request)
    election = election_or_404(request)
    place = selectors.region_for(request.user, code)
    events = selectors.outreach(request.user, election, place.code)
    return render(
        request,
        "participation/region.html",
        {
            "place": place,
            "election": election,
            **_figures(election, place),
            "events": list(events[:LIST_LIMIT]),
            "events_total": events.count(),
            "narrowed": selectors.narrowed(request.user, place.code),
            "may_write": scoping.can(request.user, "participation", scoping.CHANGE),
            "may_manage": scoping.can(request.user, "participation", scoping.MANAGE),
            "voting_started": dates.today() >= election.voting_date,
        },
    )


@login_required
def gap_export(request: HttpRequest, code: str) -> Any:
    """The gap table as CSV or XLSX: the same rows as the dashboard."""
    _require_reader(request)
    election = election_or_404(request)
    place = selectors.region_for(request.user, code)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Not found."))
    gap = selectors.gap(election, place)
    header = [
        _("Region code"),
        _("Name"),
        "TPS",
        "DPT",
        _("Last turnout (%)"),
        _("Of"),
        _("Figure of"),
        _("Target (%)"),
        _("Voters needed"),
        _("Outreach events"),
        _("Attendance"),
    ]
    rows = (
        [
            r["code"],
            r["name"],
            r["tps"],
            r["dpt"],
            r["last"] if r["last"] is not None else "",
            r["last_label"],
            r["code"] if r["last_own"] else r["last_from"],
            r["target"] if r["target"] is not None else "",
            r["needed"] if r["needed"] is not None else "",
            r["events"],
            r["attendance"],
        ]
        for r in gap["rows"]
    )
    return download(fmt, export_name(_("participation gap"), place.name), header, rows)


@login_required
def outreach_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    election = election_or_404(request)
    code = request.GET.get("region") or ""
    place = selectors.region_for(request.user, code) if code else None
    events = selectors.outreach(request.user, election, code)
    return render(
        request,
        "participation/outreach_list.html",
        {
            "place": place,
            "events": list(events[:PAGE]),
            "total": events.count(),
            "limit": PAGE,
            "may_write": scoping.can(request.user, "participation", scoping.CHANGE),
        },
    )


def _places(user: Any, election: Any, levels: tuple[int, ...]) -> list[Region]:
    scopes = scoping.grants(user, "participation", scoping.CHANGE)
    qs = scoping.in_scopes(Region.objects.filter(level__in=levels), "code", scopes)
    if election.region_id:
        qs = qs.filter(scoping.subtree_q("code", str(election.region_id)))
    return list(qs.order_by("code")[:PLACES_LIMIT])


@login_required
def outreach_new(request: HttpRequest) -> HttpResponse:
    election = election_or_404(request)
    if not scoping.grants(request.user, "participation", scoping.CHANGE):
        raise PermissionDenied(actions.ONLY_WRITERS)
    form = OutreachForm(
        request.POST or None, request.FILES or None, initial={"client_id": uuid.uuid4(), "held_on": dates.today()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        place = Region.objects.filter(code=d["region"].strip()).first()
        if place is None:
            form.add_error("region", _("“%(code)s” is not a known region code.") % {"code": d["region"]})
        else:
            try:
                actions.record_outreach(
                    request.user, election, {**d, "region": place}, d["photos"], client_id=d["client_id"]
                )
            except ValidationError as e:
                add_action_errors(form, e)
            else:
                messages.success(request, _("Outreach event recorded."))
                return redirect(f"{_url('participation:outreach')}?region={place.code}")
    return render(
        request,
        "participation/outreach_form.html",
        {"form": form, "places": _places(request.user, election, (3, 4))},
    )


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """An outreach photo, to those who read the event, always as a download."""
    p = scoping.get_object_for_user(OutreachPhoto.objects, request.user, pk=pk)
    return FileResponse(p.file.open("rb"), as_attachment=True, filename=p.filename, content_type=p.content_type)


@login_required
def turnout_new(request: HttpRequest) -> HttpResponse:
    election = election_or_404(request)
    if not scoping.grants(request.user, "participation", scoping.CHANGE):
        raise PermissionDenied(actions.ONLY_WRITERS)
    form = TurnoutReportForm(request.POST or None, initial={"client_id": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        place = Region.objects.filter(code=d["village"].strip(), level=4).first()
        tps = None
        if place is None:
            form.add_error("village", _("“%(code)s” is not a known desa/kelurahan code.") % {"code": d["village"]})
        else:
            number = d["tps"].strip()
            if number.isdigit():
                tps = PollingStation.objects.filter(election=election, village=place, number=number.zfill(3)).first()
            if tps is None:
                form.add_error("tps", _("No TPS %(n)s in %(place)s.") % {"n": number, "place": place.name})
        if not form.errors:
            try:
                actions.report_turnout(request.user, election, tps, d["voters"], client_id=d["client_id"])
            except ValidationError as e:
                add_action_errors(form, e)
            else:
                messages.success(request, _("Turnout of %(tps)s recorded.") % {"tps": tps})
                return redirect("participation:turnout")
    return render(
        request,
        "participation/turnout_form.html",
        {
            "form": form,
            "places": _places(request.user, election, (4,)),
            "voting_day": election.voting_date,
            "open": dates.today() >= election.voting_date,
        },
    )


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """Targets and turnout history: an admin of the Desk or KPU records them with their sources."""
    election = election_or_404(request)
    scopes = scoping.grants(request.user, "participation", scoping.MANAGE)
    if not scopes:
        raise PermissionDenied(actions.ONLY_MANAGERS)
    do = request.POST.get("do") if request.method == "POST" else None
    target_form = TargetForm(request.POST if do == "target" else None)
    history_form = HistoryForm(request.POST if do == "history" else None)
    import_form = HistoryImportForm(request.POST if do == "import" else None, request.FILES if do == "import" else None)
    ctx: dict[str, Any] = {}
    if do == "import" and import_form.is_valid():
        try:
            n = importers.import_history(request.user, import_form.cleaned_data["file"].read())
        except ImportFailed as e:
            ctx.update(failure=e.message, errors=e.errors, error_total=e.total)
        else:
            messages.success(request, _("%(n)s turnout figure(s) imported.") % {"n": n})
            return redirect("participation:manage")
    form: Any = target_form if do == "target" else history_form if do == "history" else None
    if form is not None and form.is_valid():
        d = dict(form.cleaned_data)
        place = Region.objects.filter(code=d["region"].strip()).first()
        if place is None:
            form.add_error("region", _("“%(code)s” is not a known region code.") % {"code": d["region"]})
        else:
            d["region"] = place
            try:
                if do == "target":
                    actions.add_target(request.user, election, d)
                else:
                    actions.add_history(request.user, d)
            except ValidationError as e:
                add_action_errors(form, e)
            else:
                messages.success(request, _("Saved."))
                return redirect("participation:manage")
    today = dates.today()
    codes = [s for s in scopes if s]
    home = codes[0] if codes else str(election.region_id or "")
    t = selectors.targets(election, home, today)
    return render(
        request,
        "participation/manage.html",
        {
            "election": election,
            "target_form": target_form,
            "history_form": history_form,
            "target_badges": target_badges(t["rows"]),
            "targets": t,
            "history": history_rows(selectors.history(home, today)) if home else [],
            "home": Region.objects.filter(code=home).first(),
            "import_form": import_form,
            **ctx,
        },
    )


def public(request: HttpRequest, code: str) -> HttpResponse:
    """The public's page: targets, turnout history and voting-day turnout; no name, no event."""
    place = get_object_or_404(Region, code=code)
    election = public_election(request.GET.get("election"))
    today = dates.today()
    t = selectors.targets(election, place.code, today)
    return render(
        request,
        "participation/public.html",
        {
            "place": place,
            "election": election,
            "targets": t,
            "target_badges": target_badges(t["rows"]),
            "history": history_rows(selectors.history(place.code, today)),
            "voting_day": selectors.voting_day(election, place.code, today),
            "formula": selectors.formula(),
            "as_of": today,
        },
    )


@login_required
def history_template(request: HttpRequest) -> Any:
    """The header (and one example row) of a turnout history file."""
    _require_reader(request)
    rows = importers.template_rows()
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return download(fmt, "template-turnout-history", rows[0], rows[1:])


@login_required
def areas(request: HttpRequest, code: str) -> JsonResponse:
    """The children of ``code`` as GeoJSON (the shipped boundaries), each with its voters needed to
    reach the target: what the map colours. A place without DPT or figures has none (no data)."""
    _require_reader(request)
    election = election_or_404(request)
    place = selectors.region_for(request.user, code)
    rows = selectors.gap(election, place)["rows"]
    props = {
        r["code"]: {
            "needed": r["needed"],
            "events": r["events"],
            "url": reverse("participation:region", args=[r["code"]]),
        }
        for r in rows
    }
    return JsonResponse(feature_collection([r["code"] for r in rows], place.level + 1, props))
