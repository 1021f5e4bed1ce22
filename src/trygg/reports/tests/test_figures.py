"""One kind of figure with its source: a document's figures are core's provenance figures."""

from __future__ import annotations

from decimal import Decimal

from trygg.core import provenance
from trygg.reports import document as document_module
from trygg.reports.document import Document


def test_a_document_figure_is_the_provenance_figure_and_keeps_its_source_exactly():
    assert document_module.Figure is provenance.Figure
    assert document_module.Source is provenance.Source
    source = provenance.Source(
        data="Budgetrader (budget.BudgetLine): Trygghetspaketet 2023",
        filters="organisation Nacka kommun; år 2023",
        period="2023",
        batch="import 12: budget.csv, 2024-03-01",
        url="/budget/",
    )
    document = Document(kind="budget", title="Budget", organisation="Nacka kommun", parameters={})
    figure = document.money("budget.outcome", "Utfall 2023", Decimal("4290000.00"), source)
    assert isinstance(figure, provenance.Figure)
    assert figure.as_source() == source and document.sources == [source]
    assert (figure.key, figure.label, figure.value, figure.ref) == (
        "budget.outcome",
        "Utfall 2023",
        "4290000",
        1,
    )
    assert figure.as_dict()["source"] == source.as_dict()


def test_a_selectors_figure_is_adopted_with_its_time_and_marked_when_typed():
    typed = provenance.figure(
        12,
        source="Utfall (plans.Outcome)",
        period="2024",
        filters={"plan": "Plan 2024"},
        typed=True,
    )
    document = Document(kind="law", title="Lag", organisation="Nacka kommun", parameters={})
    adopted = document.adopt("law.outcome", "Utfall", typed)
    assert adopted.computed_at == typed.computed_at
    assert adopted.text.startswith("12 ") and adopted.as_source().filters == "plan: Plan 2024"
