"""Forms of the participation pages; every check that matters lives in the actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PHOTOS, MultipleFileField, SpreadsheetField
from core.models import SourceStatus
from participation.models import Audience

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric"})
DECIMAL = forms.TextInput(attrs={"inputmode": "decimal"})
PLACE = forms.TextInput(attrs={"list": "places", "inputmode": "decimal", "autocomplete": "off"})


class OutreachForm(forms.Form):
    """An outreach event, entered from a phone right after it."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    held_on = forms.DateField(label=_("Held on"), widget=DAY)
    region = forms.CharField(label=_("Where (desa/kelurahan or kecamatan code)"), max_length=13, widget=PLACE)
    venue = forms.CharField(label=_("Venue (hall, school, field)"), required=False, max_length=200)
    audience = forms.MultipleChoiceField(
        label=_("Audience"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    attendance = forms.IntegerField(label=_("Attendance"), widget=NUMBER)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(accept=PHOTOS, label=_("Photos"), required=False)


class TurnoutReportForm(forms.Form):
    """Voters who voted at one TPS, on voting day."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    village = forms.CharField(label=_("Desa/kelurahan code"), max_length=13, widget=PLACE)
    tps = forms.CharField(label=_("TPS number"), max_length=3, widget=NUMBER)
    voters = forms.IntegerField(label=_("Voters who voted (ballots used)"), widget=NUMBER)


class SourceFields(forms.Form):
    source_status = forms.ChoiceField(label=_("Status of the source"), choices=SourceStatus.choices)
    source_publisher = forms.CharField(label=_("Publisher (who stated it)"), max_length=200)
    source_title = forms.CharField(label=_("Document or statement"), max_length=300)
    source_as_of = forms.DateField(label=_("Source dated"), widget=DAY)
    source_url = forms.URLField(label=_("Address (URL)"), required=False, assume_scheme="https")


class TargetForm(SourceFields):
    region = forms.CharField(label=_("Region code (province or kabupaten/kota)"), max_length=13)
    value = forms.CharField(label=_("Target (%)"), max_length=10, widget=DECIMAL)
    cited_on = forms.DateField(label=_("Cited on"), widget=DAY)
    cited_at = forms.CharField(label=_("Cited at (meeting, place)"), required=False, max_length=300)

    field_order = ["region", "value", "cited_on", "cited_at"]


class HistoryForm(SourceFields):
    region = forms.CharField(label=_("Region code"), max_length=13)
    label = forms.CharField(label=_("Election"), max_length=100, help_text=_('E.g. "Pilkada 2020".'))
    held_on = forms.DateField(label=_("Voting day"), widget=DAY)
    dpt = forms.IntegerField(label=_("DPT"), required=False, widget=NUMBER)
    voters = forms.IntegerField(label=_("Voters who voted"), required=False, widget=NUMBER)
    percent = forms.CharField(
        label=_("Published turnout (%)"),
        required=False,
        max_length=10,
        widget=DECIMAL,
        help_text=_("Only when the DPT and the voters are not known."),
    )
    as_of = forms.DateField(label=_("Known as of"), widget=DAY)

    field_order = ["region", "label", "held_on", "dpt", "voters", "percent", "as_of"]


class HistoryImportForm(forms.Form):
    file = SpreadsheetField(label=_("CSV or XLSX file"))
