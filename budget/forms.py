"""Forms of the grant pages; every check that matters lives in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from budget.models import Agreement, Category
from core.forms import MultipleFileField
from core.models import SourceStatus

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RUPIAH = forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"})


def amount_field(label: Any, required: bool = True) -> forms.IntegerField:
    # no minimum here: a negative amount reaches the action, which says why it is refused
    return forms.IntegerField(label=label, required=required, widget=RUPIAH, help_text=_("Whole rupiah."))


class AgreementForm(forms.Form):
    """A grant agreement (NPHD) the Pemda signed, or an addendum of one."""

    agency = forms.ModelChoiceField(label=_("Recipient"), queryset=Agency.objects.none())
    number = forms.CharField(label=_("Agreement number"), max_length=120)
    signed_on = forms.DateField(label=_("Signed on"), widget=DAY)
    amount = amount_field(_("Amount"))
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    budget_source = forms.CharField(
        label=_("Budget source"), max_length=120, required=False, help_text=_("E.g. APBD 2023–2024.")
    )
    amends = forms.ModelChoiceField(label=_("Addendum of"), queryset=Agreement.objects.none(), required=False)
    lpj_due = forms.DateField(label=_("LPJ due"), widget=DAY, required=False)

    def __init__(self, *args: Any, agencies: Any, agreements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["amends"].queryset = agreements  # type: ignore[attr-defined]


class TrancheForm(forms.Form):
    planned_on = forms.DateField(label=_("Planned on"), widget=DAY)
    planned_amount = amount_field(_("Planned amount"))


class DisburseForm(forms.Form):
    tranche = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    disbursed_on = forms.DateField(label=_("Disbursed on"), widget=DAY)
    disbursed_amount = amount_field(_("Disbursed amount"))


class LpjForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    lpj_due = forms.DateField(label=_("LPJ due"), widget=DAY, required=False)


class RealisationForm(forms.Form):
    """A recipient's report from a phone: up to which day, what was spent by category, what was
    returned, and whether it is the final report (LPJ)."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    period_end = forms.DateField(label=_("Spending up to"), widget=DAY)
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DAY)
    returned = amount_field(_("Returned to the regional treasury"), required=False)
    final = forms.BooleanField(label=_("This is the final report (LPJ)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    documents = MultipleFileField(
        label=_("Documents"), required=False, help_text=_("PDF, pictures or Office files, at most 10 at once.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Category.choices:
            self.fields[f"spent_{value}"] = amount_field(label, required=False)

    def spent_fields(self) -> list[Any]:
        return [self[f"spent_{value}"] for value in Category.values]

    def lines(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {value: d.get(f"spent_{value}") for value in Category.values if d.get(f"spent_{value}") is not None}


class CitedForm(forms.Form):
    """A figure a source quotes for the region's whole grant or for one agreement, with its source."""

    label = forms.CharField(
        label=_("What is quoted"), max_length=200, help_text=_("E.g. the grant of Kukar for Pilkada 2024.")
    )
    amount = amount_field(_("Amount quoted"))
    agreement = forms.ModelChoiceField(
        label=_("For the agreement"),
        queryset=Agreement.objects.none(),
        required=False,
        help_text=_("Empty: the region's whole grant."),
    )
    status = forms.ChoiceField(label=_("Status of the source"), choices=SourceStatus.choices)
    publisher = forms.CharField(label=_("Publisher"), max_length=200)
    title = forms.CharField(label=_("Document or statement"), max_length=300)
    as_of = forms.DateField(label=_("Dated"), widget=DAY)
    url = forms.URLField(label=_("Address (URL)"), required=False, assume_scheme="https")
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, agreements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]
