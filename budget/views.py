"""Grant pages: a region's grant overview (with its CSV/XLSX export), an agreement with its
tranches, reports, documents and history, the form for a new agreement or addendum, the
recipient's phone-sized realisation report and the public totals."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from agencies.models import Agency
from budget import actions, selectors
from budget.forms import AgreementForm, CitedForm, DisburseForm, LpjForm, RealisationForm, TrancheForm
from budget.models import Agreement, Category, Document, Line, Realisation, Tranche
from core import dates, provenance, scoping
from core.exports import download, export_name
from core.forms import add_action_errors
from elections.selectors import election_or_404, public_election
from regions.models import Region


def _require_reader(request: HttpRequest) -> None:
    if not selectors.may_read(request.user):
        raise Http404(_("Not found."))


@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    """A region's grant: totals and a chart per recipient, late LPJ, cited figures beside the
    recorded ones, and the agreements the reader may open."""
    _require_reader(request)
    election = election_or_404(request)
    place = selectors.region_for(request.user, code)
    if (granting := selectors.granting_code(place.code)) != place.code:
        return redirect("budget:region", code=granting)  # a kecamatan reads its kabupaten's grant
    may_write = scoping.can(request.user, "budget", scoping.CHANGE, place.code)
    agreements = selectors.visible(request.user, election, place.code).select_related("agency")
    cited_form = CitedForm(request.POST or None, agreements=agreements) if may_write else None
    if request.method == "POST":
        if cited_form is None:
            raise PermissionDenied(str(actions.ONLY_DESK))
        if cited_form.is_valid():
            try:
                actions.record_cited(request.user, election, place, cited_form.cleaned_data)
            except ValidationError as e:
                add_action_errors(cited_form, e)
            else:
                messages.success(request, _("Saved."))
                return redirect("budget:region", code=place.code)
    data = selectors.for_reader(request.user, election, selectors.figures(election, place.code))
    if (fmt := request.GET.get("export")) in ("csv", "xlsx"):
        return _export(fmt, election, place, data)
    return render(
        request,
        "budget/region.html",
        {
            "place": place,
            "election": election,
            "data": data,
            "badges": [provenance.badge([], registry_source=s) for s in data["sources"]],
            "agreements": list(agreements),
            "may_write": may_write,
            "cited_form": cited_form,
        },
    )


def _export(fmt: str, election: Any, place: Any, data: dict[str, Any]) -> Any:
    """The per-recipient table as a spreadsheet, in whole rupiah, as of the day shown."""
    header = [
        _("Recipient"),
        _("Agreements"),
        _("Agreed"),
        _("Planned"),
        _("Disbursed"),
        _("Spent"),
        _("Returned"),
        _("Still to disburse"),
        _("Not yet accounted for"),
        _("As of"),
    ]
    as_of = data["as_of"].isoformat()
    keys = ("agreed", "planned", "disbursed", "spent", "returned", "to_disburse", "unaccounted")
    rows = [[r["agency"], r["agreements"], *(r[k] for k in keys), as_of] for r in data["rows"]]
    rows.append([_("Total"), sum(r["agreements"] for r in data["rows"]), *(data["totals"][k] for k in keys), as_of])
    return download(fmt, export_name(_("grants"), place.name, election.name), header, rows)


@login_required
def new_agreement(request: HttpRequest) -> HttpResponse:
    """The Desk records an agreement the Pemda signed, or an addendum (``?amends=ID``)."""
    election = election_or_404(request)
    code = request.GET.get("region") or str(election.region_id)
    amends = None
    if (amends_id := request.GET.get("amends") or request.POST.get("amends")) and str(amends_id).isdigit():
        amends = scoping.get_object_for_user(Agreement.objects, request.user, scoping.CHANGE, pk=int(amends_id))
        code = str(amends.region_id)
    place = get_object_or_404(Region, code=code)
    if not scoping.can(request.user, "budget", scoping.CHANGE, place.code):
        raise PermissionDenied(str(actions.ONLY_DESK))
    agencies = Agency.objects.filter(kind__in=actions.RECIPIENT_KINDS).order_by("kind", "name")
    agreements = Agreement.objects.restrict(request.user, scoping.CHANGE).filter(election=election, region=place)
    initial: dict[str, Any] = {"signed_on": dates.today()}
    if amends is not None:
        initial.update(agency=amends.agency_id, amends=amends.pk, budget_source=amends.budget_source)
    form = AgreementForm(request.POST or None, initial=initial, agencies=agencies, agreements=agreements)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = actions.create_agreement(request.user, election, {**form.cleaned_data, "region": place})
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Agreement %(n)s recorded.") % {"n": agreement.number})
            return redirect("budget:agreement", pk=agreement.pk)
    return render(request, "budget/new.html", {"form": form, "place": place, "amends": amends})


def _tranche_rows(agreement: Agreement, may_write: bool, today: Any) -> list[dict[str, Any]]:
    rows = []
    for t in Tranche.objects.filter(agreement=agreement).select_related("source").order_by("number"):
        paid = t.disbursed_on is not None and t.disbursed_on <= today
        rows.append(
            {
                "t": t,
                "paid": paid,
                "form": DisburseForm(
                    initial={
                        "tranche": t.pk,
                        "version": t.version,
                        "disbursed_on": today,
                        "disbursed_amount": t.planned_amount,
                    },
                    prefix=f"t{t.pk}",
                )
                if may_write and t.disbursed_on is None
                else None,
            }
        )
    return rows


def _reports(agreement: Agreement, user: Any, today: Any) -> list[dict[str, Any]]:
    reports = list(
        Realisation.objects.restrict(user)
        .filter(agreement=agreement, submitted_on__lte=today)
        .select_related("source", "agency")
        .order_by("period_end", "id")
    )
    ids = [r.pk for r in reports]
    lines: dict[int, list[Line]] = {}
    for line in Line.objects.filter(realisation_id__in=ids).order_by("id"):
        lines.setdefault(line.realisation_id, []).append(line)
    docs: dict[int, list[Document]] = {}
    for doc in Document.objects.restrict(user).filter(realisation_id__in=ids).order_by("uploaded_at", "id"):
        docs.setdefault(doc.realisation_id, []).append(doc)
    return [
        {
            "r": r,
            "lines": lines.get(r.pk, []),
            "spent": sum(x.amount for x in lines.get(r.pk, [])),
            "documents": docs.get(r.pk, []),
        }
        for r in reports
    ]


@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """One agreement: its figures, tranches, reports, documents and history; the Desk plans and
    disburses tranches and sets the LPJ due date; the recipient reports."""
    _require_reader(request)
    today = dates.today()
    obj = scoping.get_object_for_user(
        Agreement.objects.filter(signed_on__lte=today).select_related(
            "agency", "region", "election", "source", "lpj_source", "amends"
        ),
        request.user,
        pk=pk,
    )
    user = request.user
    may_write = scoping.can(user, "budget", scoping.CHANGE, str(obj.region_id))
    forms: dict[str, Any] = {
        "tranche": TrancheForm(initial={"planned_on": today}) if may_write else None,
        "lpj": LpjForm(initial={"version": obj.version, "lpj_due": obj.lpj_due}) if may_write else None,
    }
    if request.method == "POST":
        response = _post(request, obj, forms, may_write)
        if response is not None:
            return response
    addenda = list(Agreement.objects.restrict(user).filter(amends=obj, signed_on__lte=today).order_by("signed_on"))
    late = selectors.late_lpj(Agreement.objects.filter(pk=obj.pk), today)
    return render(
        request,
        "budget/agreement.html",
        {
            "a": obj,
            "figures": selectors.agreement_figures(obj),
            "tranches": _tranche_rows(obj, may_write, today),
            "reports": _reports(obj, user, today),
            "addenda": addenda,
            "late": late[0] if late else None,
            "badge": provenance.badge([], registry_source=obj.source),
            "forms": forms,
            "may_write": may_write,
            "may_report": actions.is_recipient(user, obj) and scoping.can(user, "budget_realisation", scoping.CHANGE),
            "history": _history(obj),
        },
    )


def _post(request: HttpRequest, obj: Agreement, forms: dict[str, Any], may_write: bool) -> HttpResponse | None:
    """Handle one of the agreement page's forms (all the Desk's); None re-renders with errors."""
    if not may_write:
        raise PermissionDenied(str(actions.ONLY_DESK))
    user = request.user
    do = request.POST.get("do")
    form: Any
    if do == "tranche":
        form = forms["tranche"] = TrancheForm(request.POST)
        save: Any = lambda d: actions.add_tranche(user, obj, d["planned_on"], d["planned_amount"])  # noqa: E731
    elif do == "lpj":
        form = forms["lpj"] = LpjForm(request.POST)
        save = lambda d: actions.set_lpj_due(user, obj, d["lpj_due"], d["version"])  # noqa: E731
    elif do == "disburse":
        prefix = request.POST.get("prefix", "")
        form = DisburseForm(request.POST, prefix=prefix if prefix.startswith("t") and prefix[1:].isdigit() else None)
        forms["disburse"] = form

        def save(d: dict[str, Any]) -> Any:
            tranche = get_object_or_404(Tranche.objects.select_related("agreement"), pk=d["tranche"], agreement=obj)
            return actions.disburse(user, tranche, d["disbursed_on"], d["disbursed_amount"], d["version"])
    else:
        raise PermissionDenied(str(actions.ONLY_DESK))
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("budget:agreement", pk=obj.pk)
    return None


def _history(obj: Agreement) -> Any:
    """The changes of the agreement, its tranches and its reports, newest first."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from core.models import AuditEntry

    def of(model: Any, ids: Any) -> Q:
        return Q(content_type=ContentType.objects.get_for_model(model), object_id__in=[str(i) for i in ids])

    tranches = Tranche.objects.filter(agreement=obj).values_list("pk", flat=True)
    reports = Realisation.objects.filter(agreement=obj, submitted_on__lte=dates.today()).values_list("pk", flat=True)
    q = of(Agreement, [obj.pk]) | of(Tranche, tranches) | of(Realisation, reports)
    return AuditEntry.objects.filter(q, at__date__lte=dates.today()).select_related("actor").order_by("-at", "-id")


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The recipient's realisation report, on a phone: a retried form records it once."""
    _require_reader(request)
    obj = scoping.get_object_for_user(
        Agreement.objects.filter(signed_on__lte=dates.today()).select_related("agency"), request.user, pk=pk
    )
    actions.require_recipient(request.user, obj)
    today = dates.today()
    form = RealisationForm(
        request.POST or None,
        request.FILES or None,
        initial={"client_id": uuid.uuid4(), "period_end": today, "submitted_on": today},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = {
            "period_end": d["period_end"],
            "submitted_on": d["submitted_on"],
            "lines": form.lines(),
            "returned": d["returned"] or 0,
            "final": d["final"],
            "note": d["note"],
        }
        try:
            actions.report(request.user, obj, data, d["documents"], client_id=d["client_id"])
        except ValidationError as e:
            add_action_errors(form, e, {c: f"spent_{c}" for c in Category.values})
        else:
            messages.success(request, _("Report recorded."))
            return redirect("budget:agreement", pk=obj.pk)
    figures = selectors.agreement_figures(obj)
    return render(request, "budget/report.html", {"a": obj, "form": form, "figures": figures})


@login_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    """A document of a realisation report, to those who read the grant, always as a download."""
    doc = scoping.get_object_for_user(
        Document.objects.filter(realisation__submitted_on__lte=dates.today()), request.user, pk=pk
    )
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.filename, content_type=doc.content_type)


def public(request: HttpRequest, code: str) -> HttpResponse:
    """The public's page: the region's total figures only, with their day and sources."""
    place = get_object_or_404(Region, code=code)
    election = public_election(request.GET.get("election"))
    if (granting := selectors.granting_code(place.code)) != place.code:
        return redirect("budget:public", code=granting)
    data = selectors.figures(election, place.code)
    return render(
        request,
        "budget/public.html",
        {
            "place": place,
            "election": election,
            "totals": data["totals"],
            "as_of": data["as_of"],
            "badges": [provenance.badge([], registry_source=s) for s in data["sources"]],
        },
    )
