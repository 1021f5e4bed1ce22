"""The select widget written in Python writes exactly what Django's templates write."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from trygg.core.renderers import Renderer, render_select


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "—"), ("a", "Älta"), ("b&c", 'Saltsjö <"bad">')])
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("Nacka", [("1", "Fisksätra"), ("2", "Orminge")]), ("3", "Ensam")]
    )
    many = forms.MultipleChoiceField(choices=[(1, "ett"), (2, "två"), (3, "tre")])
    year = forms.TypedChoiceField(choices=[(2024, 2024), (2025, 2025)], coerce=int)
    attrs = forms.ChoiceField(
        choices=[("x", "X")],
        widget=forms.Select(attrs={"class": "wide", "data-note": 'a "b"', "autofocus": True}),
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "b&c", "grouped": "2", "many": ["1", "3"], "year": "2025", "attrs": "x"},
        {"plain": "nope"},
    ],
)
def test_every_select_renders_as_the_templates_do(data):
    for name in Choices.base_fields:
        python = Choices(data or None, renderer=Renderer())[name].as_widget()
        templates = Choices(data or None, renderer=DjangoTemplates())[name].as_widget()
        assert python == templates


def test_an_option_with_its_own_template_is_left_to_the_templates():
    widget = forms.Select(choices=[("a", "A")]).get_context("f", "a", {})["widget"]
    widget["optgroups"][0][1][0]["template_name"] = "custom_option.html"
    assert render_select(widget) is None
    widget["optgroups"][0][1][0]["template_name"] = "django/forms/widgets/select_option.html"
    assert render_select(widget) is not None
