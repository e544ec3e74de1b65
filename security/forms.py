"""Forms of the security pages; every check that matters lives in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import SpreadsheetField
from security.models import IKP_DIMENSIONS, Category, IkpBand, IncidentKind, IncidentStatus, Severity, Situation

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric"})


class AssessmentForm(forms.Form):
    """Bawaslu ticks the indicators it found at the TPS, grouped by variable."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    observed_on = forms.DateField(label=_("Observed on"), widget=DAY)
    indicators = forms.MultipleChoiceField(
        label=_("Indicators found"), required=False, widget=forms.CheckboxSelectMultiple
    )
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=500)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, indicators: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for i in indicators:
            groups.setdefault(str(i.variable), []).append((i.code, f"{i.code} {i.name} ({i.weight})"))
        self.fields["indicators"].choices = list(groups.items())  # type: ignore[attr-defined]


class GuardForm(forms.Form):
    """Polri's category of the TPS and the guard it assigns there."""

    category = forms.ChoiceField(label=_("Polri category"), choices=Category.choices)
    unit = forms.CharField(label=_("Guarding unit"), required=False, max_length=100)
    polri = forms.IntegerField(label=_("Polri"), min_value=0, max_value=100, initial=0, widget=NUMBER)
    tni = forms.IntegerField(label=_("TNI"), min_value=0, max_value=100, initial=0, widget=NUMBER)
    linmas = forms.IntegerField(label=_("Linmas"), min_value=0, max_value=100, initial=0, widget=NUMBER)
    names = forms.CharField(label=_("Names of the guard"), required=False, max_length=300)


class SituationForm(forms.Form):
    region = forms.ChoiceField(label=_("Kecamatan"))
    level = forms.ChoiceField(label=_("Status today"), choices=Situation.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, regions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]  # type: ignore[attr-defined]


class IncidentForm(forms.Form):
    """Reporting an incident on a phone: what, how bad, when, where."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, widget=forms.RadioSelect)
    occurred_at = forms.DateTimeField(label=_("When it happened"), widget=WHEN)
    region = forms.CharField(
        label=_("Where (desa/kelurahan or kecamatan code)"),
        max_length=13,
        widget=forms.TextInput(attrs={"list": "places", "inputmode": "decimal", "autocomplete": "off"}),
    )
    tps = forms.CharField(label=_("TPS number (if at a TPS)"), required=False, max_length=3, widget=NUMBER)
    lat = forms.FloatField(label=_("Latitude"), required=False)
    lng = forms.FloatField(label=_("Longitude"), required=False)
    title = forms.CharField(label=_("What happened (short)"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    photos = forms.FileField(
        label=_("Photo"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"})
    )


class StepForm(forms.Form):
    status = forms.ChoiceField(label=_("Next status"), choices=IncidentStatus.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("What was done or found"), max_length=500)


class ReferForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Why it may be a violation"), max_length=500)


class IncidentFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *IncidentKind.choices])
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("All severities")), *Severity.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *IncidentStatus.choices]
    )


class AssessmentImportForm(forms.Form):
    file = SpreadsheetField(label=_("Assessments (XLSX or CSV)"))


class PoolForm(forms.Form):
    """A Polres unit's personnel: a Polsek (its kecamatan) or the headquarters (the Polres's seat)."""

    polres: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Polres"), queryset=None)  # type: ignore[arg-type]
    unit = forms.CharField(label=_("Unit"), max_length=100, help_text=_('e.g. "Polsek Sebulu" or "Polres (cadangan)"'))
    region = forms.CharField(label=_("Area (kecamatan code, or the Polres's seat)"), max_length=13)
    organic = forms.IntegerField(label=_("Polri (organic)"), min_value=0, initial=0, widget=NUMBER)
    bko = forms.IntegerField(label=_("BKO (reinforcement)"), min_value=0, initial=0, widget=NUMBER)
    brimob = forms.IntegerField(label=_("Brimob"), min_value=0, initial=0, widget=NUMBER)
    urc_platoons = forms.IntegerField(label=_("URC platoons (reserve)"), min_value=0, initial=0, widget=NUMBER)
    tni = forms.IntegerField(label=_("TNI"), min_value=0, initial=0, widget=NUMBER)
    linmas = forms.IntegerField(label=_("Linmas"), min_value=0, initial=0, widget=NUMBER)

    def __init__(self, *args: Any, polres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["polres"].queryset = polres  # type: ignore[attr-defined]


class PatternForm(forms.Form):
    """A Polres's pattern for one of its categories, written Polri–TPS–Linmas."""

    polres: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Polres"), queryset=None)  # type: ignore[arg-type]
    category = forms.ChoiceField(label=_("Polri category"), choices=Category.choices)
    polri = forms.IntegerField(label=_("Polri"), min_value=0, max_value=100, widget=NUMBER)
    tps = forms.IntegerField(label=_("TPS"), min_value=0, max_value=100, widget=NUMBER)
    linmas = forms.IntegerField(label=_("Linmas"), min_value=0, max_value=100, widget=NUMBER)

    def __init__(self, *args: Any, polres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["polres"].queryset = polres  # type: ignore[attr-defined]


class IkpForm(forms.Form):
    """A published IKP, with where it was published."""

    region = forms.CharField(label=_("Region code (kabupaten/kota or provinsi)"), max_length=13)
    score = forms.DecimalField(label=_("IKP score"), max_digits=5, decimal_places=2, localize=True)
    band = forms.ChoiceField(label=_("Band"), choices=IkpBand.choices)
    rank = forms.CharField(label=_("Rank"), required=False, max_length=100)
    published_on = forms.DateField(label=_("Published on"), widget=DAY)
    publisher = forms.CharField(label=_("Publisher"), max_length=200, initial="Bawaslu RI")
    title = forms.CharField(label=_("Document or statement"), max_length=300)
    url = forms.URLField(label=_("Address"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the four dimensions' scores, when the publication gives them
        for key, label in IKP_DIMENSIONS:
            self.fields[f"dim_{key}"] = forms.DecimalField(
                label=label, required=False, max_digits=5, decimal_places=2, localize=True
            )

    def dimensions(self) -> dict[str, float]:
        return {
            key: float(self.cleaned_data[f"dim_{key}"])
            for key, _label in IKP_DIMENSIONS
            if self.cleaned_data.get(f"dim_{key}") is not None
        }
