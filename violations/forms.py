"""Forms of the violation pages; every check that matters lives in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField
from violations.models import (
    Finding,
    NotRegisteredReason,
    Origin,
    PartyKind,
    Referral,
    Status,
    ViolationCategory,
)

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric"})


class IntakeForm(forms.Form):
    """Recording a laporan or a temuan on a phone: what, when, where, against whom; who reported."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    origin = forms.ChoiceField(label=_("Origin"), choices=Origin.choices, widget=forms.RadioSelect)
    summary = forms.CharField(
        label=_("What is alleged (short)"),
        max_length=200,
        help_text=_("Read by every agency: do not name the reporter here."),
    )
    description = forms.CharField(
        label=_("What is alleged"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Read by every agency: do not name the reporter here."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=ViolationCategory.choices)
    party_kind = forms.ChoiceField(label=_("Kind of reported party"), choices=PartyKind.choices)
    party_name = forms.CharField(label=_("Reported party"), max_length=200)
    party_unit = forms.CharField(
        label=_("Unit or office"), required=False, max_length=200, help_text=_("For an ASN: the office they work in.")
    )
    occurred_on = forms.DateField(label=_("Occurred on"), widget=DAY)
    known_on = forms.DateField(label=_("Known on"), widget=DAY)
    received_on = forms.DateField(label=_("Received on"), widget=DAY)
    region = forms.CharField(
        label=_("Where (desa/kelurahan or kecamatan code)"),
        max_length=13,
        widget=forms.TextInput(attrs={"list": "places", "inputmode": "decimal", "autocomplete": "off"}),
    )
    tps = forms.CharField(label=_("TPS number (if at a TPS)"), required=False, max_length=3, widget=NUMBER)
    reporter_name = forms.CharField(
        label=_("Reporter's name"),
        required=False,
        max_length=150,
        help_text=_("A laporan only. Seen by Bawaslu alone."),
    )
    reporter_contact = forms.CharField(label=_("Reporter's phone or e-mail"), required=False, max_length=150)
    reporter_address = forms.CharField(label=_("Reporter's address"), required=False, max_length=300)
    reporter_statement = forms.CharField(
        label=_("Reporter's statement"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = MultipleFileField(
        label=_("Evidence"),
        required=False,
        help_text=_("PDF, JPEG, PNG, DOCX, XLSX or PPTX. Seen by Bawaslu alone."),
    )
    incidents = forms.CharField(label=_("Linked incidents (numbers, comma-separated)"), required=False, max_length=200)


class StepForm(forms.Form):
    """Moving a case on: the next state and why; what that state needs."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Next status"), choices=Status.choices)
    on = forms.DateField(label=_("On"), required=False, widget=DAY)
    note = forms.CharField(label=_("Why"), max_length=500)
    reason = forms.ChoiceField(
        label=_("Why not registered"), required=False, choices=[("", "-"), *NotRegisteredReason.choices]
    )
    finding = forms.ChoiceField(label=_("Finding"), required=False, choices=[("", "-"), *Finding.choices])
    referred_to = forms.ChoiceField(label=_("Referred to"), required=False, choices=[("", "-"), *Referral.choices])
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=500)

    def __init__(self, *args: Any, allowed: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the choices offered are the next states; any other is refused by the action with its reason
        labels = dict(Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in allowed] or list(Status.choices)  # type: ignore[attr-defined]
        if self.is_bound:
            self.fields["status"].choices = list(Status.choices)  # type: ignore[attr-defined]


class InformationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("What information is needed"), max_length=500)


class SanctionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    sanction = forms.CharField(label=_("Sanction"), max_length=300)
    sanction_on = forms.DateField(label=_("Given on"), widget=DAY)


class EvidenceForm(forms.Form):
    evidence = MultipleFileField(label=_("Evidence"))


class CaseFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), ("open", _("Open")), ("overdue", _("Past the deadline")), *Status.choices],
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *ViolationCategory.choices]
    )
    party_kind = forms.ChoiceField(
        label=_("Reported party"), required=False, choices=[("", _("All kinds")), *PartyKind.choices]
    )
    origin = forms.ChoiceField(label=_("Origin"), required=False, choices=[("", _("All")), *Origin.choices])


class RuleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    rule = forms.CharField(widget=forms.HiddenInput, max_length=16)
    days = forms.IntegerField(label=_("Days"), min_value=0, max_value=60, widget=NUMBER)
    working_days = forms.BooleanField(label=_("Working days"), required=False)


class HolidayForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DAY)
    name = forms.CharField(label=_("Name"), max_length=150)
