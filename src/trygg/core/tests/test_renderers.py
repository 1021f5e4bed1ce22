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


class Inputs(forms.Form):
    """Every input and text area the project's forms use, with awkward values."""

    text = forms.CharField(widget=forms.TextInput(attrs={"class": "wide", "autofocus": True}))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "data-x": 'a "b" <c>'}))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField()
    at = forms.TimeField()
    count = forms.IntegerField(min_value=0)
    share = forms.DecimalField(decimal_places=2)
    email = forms.EmailField()
    url = forms.URLField(assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    done = forms.BooleanField(required=False)
    off = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"disabled": False}))
    colour = forms.CharField(widget=forms.TextInput(attrs={"type": "color"}))
    kinds = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
        choices=[("a", "Älta & co"), ("b", "<b>"), ("Grupp", [("c", "Ett"), ("d", "Två")])],
    )
    cadence = forms.ChoiceField(widget=forms.RadioSelect, choices=[("w", "Vecka"), ("m", "Månad")])
    unlabelled = forms.ChoiceField(
        widget=forms.RadioSelect(attrs={"id": ""}), choices=[("x", "X")], required=False
    )


@pytest.mark.parametrize(
    "data, initial",
    [
        (None, None),
        (None, {"text": "Älta & <Sicklaön>", "note": "rad 1\nrad 2 <b>", "count": 0}),
        (
            {
                "text": "\"citat\" & 'apostrof'",
                "note": "",
                "day": "2026-13-45",
                "when": "2026-12-03 14:05",
                "at": "23:59",
                "count": "-1",
                "share": "1,5",
                "email": "a@b",
                "url": "javascript:alert(1)",
                "secret": "<hemligt>",
                "hidden": "42",
                "done": "on",
                "colour": "#ff0000",
                "kinds": ["b", "d"],
                "cadence": "m",
            },
            None,
        ),
    ],
)
def test_every_input_and_text_area_renders_as_the_templates_do(data, initial):
    from django.utils import translation

    for language in ("sv", "en"):
        with translation.override(language):
            for name in Inputs.base_fields:
                python = Inputs(data, initial=initial, renderer=Renderer())[name].as_widget()
                templates = Inputs(data, initial=initial, renderer=DjangoTemplates())[
                    name
                ].as_widget()
                assert python == templates, name


def test_a_safe_attribute_value_is_not_escaped_twice():
    from django.utils.safestring import mark_safe

    field = forms.CharField(widget=forms.TextInput(attrs={"title": mark_safe("a &amp; b")}))

    class One(forms.Form):
        f = field

    assert (
        One(renderer=Renderer())["f"].as_widget()
        == One(renderer=DjangoTemplates())["f"].as_widget()
    )


def test_the_inputs_and_text_areas_need_no_template():
    class NoTemplates(Renderer):
        def get_template(self, template_name):
            raise AssertionError(f"{template_name} read")

    for name in Inputs.base_fields:
        assert Inputs(renderer=NoTemplates())[name].as_widget()


def test_each_checkbox_and_radio_button_on_its_own_renders_as_the_templates_do():
    data = {"kinds": ["b", "d"], "cadence": "m"}
    for name in ("kinds", "cadence", "unlabelled"):
        python = Inputs(data, renderer=Renderer())[name]
        templates = Inputs(data, renderer=DjangoTemplates())[name]
        for ours, theirs in zip(python, templates, strict=True):
            assert ours.tag() == theirs.tag()
            assert ours.tag(wrap_label=True) == theirs.tag(wrap_label=True)
