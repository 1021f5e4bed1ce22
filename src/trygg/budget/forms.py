"""Forms for budgets, budget lines and funding. Errors are shown in Swedish next to the field."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.budget.choices import FundingSource, MeasureTagKind
from trygg.budget.models import BudgetLine
from trygg.core.access import ADD, VIEW, organisations_for
from trygg.core.formatting import NBSP, format_number, parse_swedish_decimal
from trygg.core.models import Organisation

_UNITS = {"kr": Decimal(1), "tkr": Decimal(1000), "mkr": Decimal(1_000_000)}
_UNIT_RE = re.compile(r"^(?P<number>.*?)\s*(?P<unit>kr|tkr|mkr)?\.?$", re.IGNORECASE)
MAX_AMOUNT = Decimal("999999999999.99")


class AmountField(forms.CharField):
    """An amount of kronor written the Swedish way: "1 250 000", "1 250 000,50" or "1,6 mkr".

    The value is a Decimal with at most two decimals (öre); a negative amount is refused.
    """

    default_error_messages = {
        "invalid": _("Enter an amount in kronor, for example 1 250 000 or 1,6 mkr."),
        "negative": _("The amount cannot be negative."),
        "too_precise": _("Give the amount in whole kronor and öre (at most two decimals)."),
        "too_large": _("The amount is too large."),
    }

    def __init__(self, *args, **kwargs):
        # No max_length: its validator would run on the Decimal; the length is checked here.
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("maxlength", "40")
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            decimals = 0 if Decimal(value) == Decimal(value).to_integral_value() else 2
            return format_number(Decimal(value), decimals).replace(NBSP, " ")
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        if len(text) > 40:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        match = _UNIT_RE.match(text.strip())
        number = match["number"] if match else text
        unit = _UNITS[(match["unit"] or "kr").lower()] if match else Decimal(1)
        try:
            amount = parse_swedish_decimal(number) * unit
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if amount < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(self.error_messages["too_precise"], code="too_precise")
        if amount > MAX_AMOUNT:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return amount.quantize(Decimal("0.01"))


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BudgetForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    name = forms.CharField(max_length=200, label=_("Name"), initial="Trygghetspaketet")
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("Year"))
    frame = AmountField(
        required=False,
        label=_("Frame (kr)"),
        help_text=_("The amount decided for the year, e.g. 5 000 000 or 5 mkr."),
    )
    decided_by = forms.CharField(
        max_length=200,
        required=False,
        label=_("Decided by"),
        help_text=_("E.g. Kommunfullmäktige."),
    )
    decided_on = forms.DateField(required=False, label=_("Decision date"), widget=_date_widget())
    diarienummer = forms.CharField(
        max_length=40,
        required=False,
        label=_("Reference number"),
        help_text=_("E.g. KFKS-2024-00430."),
    )
    note = forms.CharField(
        required=False, label=_("Note"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.restrict(user, VIEW).filter(
            id__in=organisations_for(user, ADD)
        )
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


class BudgetEditForm(BudgetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["organisation"]


class BudgetLineForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    amount = AmountField(label=_("Budget (kr)"))
    outcome = AmountField(
        required=False, label=_("Outcome (kr)"), help_text=_("Leave empty until it is known.")
    )
    proposal = AmountField(required=False, label=_("Proposal for next year (kr)"))
    position = forms.IntegerField(
        min_value=0, max_value=999, required=False, label=_("Order in the table")
    )
    note = forms.CharField(
        required=False, label=_("Note"), widget=forms.Textarea(attrs={"rows": 3})
    )


class MeasureFundingForm(forms.Form):
    source = forms.ChoiceField(choices=FundingSource.choices, label=_("Funding source"))
    budget_line = forms.ModelChoiceField(
        queryset=BudgetLine.objects.none(),
        required=False,
        label=_("Budget line"),
        help_text=_("Only for money from the safety package."),
    )
    amount = AmountField(
        required=False,
        label=_("Amount (kr)"),
        help_text=_("The cost paid from this source. Leave empty when it is not known."),
    )
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("Year"))
    note = forms.CharField(
        required=False,
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the grant decision or who pays."),
    )

    def __init__(self, *args, user, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = (
            BudgetLine.objects.restrict(user, VIEW)
            .filter(organisation_id=measure.organisation_id)
            .select_related("budget")
            .order_by("-budget__year", "position", "pk")
        )
        self.fields["budget_line"].label_from_instance = lambda line: (
            f"{line.budget.year} – {line.name}"
        )

    def clean(self):
        cleaned = super().clean()
        source, line = cleaned.get("source"), cleaned.get("budget_line")
        if source == FundingSource.TRYGGHETSPAKET and line is None:
            self.add_error("budget_line", _("Choose the safety package line that pays."))
        elif source and source != FundingSource.TRYGGHETSPAKET and line is not None:
            self.add_error(
                "budget_line", _("A budget line is only chosen for money from the safety package.")
            )
        return cleaned


class MeasureTagsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        choices=MeasureTagKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Categories"),
    )
