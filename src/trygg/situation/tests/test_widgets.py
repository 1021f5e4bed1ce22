"""The lägesbild's select writes what Django's template-rendered select writes."""

from __future__ import annotations

from django import forms

from trygg.situation.widgets import Select


def _lines(html: str) -> list[str]:
    return [line for line in html.splitlines() if line.strip()]


def test_the_select_writes_what_djangos_select_writes():
    choices = [
        ("", "Alla"),
        ("1", "Klotter & <skadegörelse>"),
        ("Grupp", [("2", 'Bråk "i centrum"'), ("3", "Stöld")]),
    ]
    attrs = {"id": "id_x", "required": True, "disabled": False, "aria-describedby": "x_help"}
    for value in ("", "1", "3", None):
        ours = Select(choices=choices).render("x", value, attrs=attrs)
        django = forms.Select(choices=choices).render("x", value, attrs=attrs)
        assert _lines(ours) == _lines(django)
    assert "&lt;skadegörelse&gt;" in ours and "<skadegörelse>" not in ours


def test_the_select_without_groups_writes_what_djangos_select_writes():
    choices = [
        ("", "Alla"),
        (1, "Klotter & <skadegörelse>"),
        ("2", 'Bråk "i centrum"'),
        (None, "x"),
    ]
    attrs = {"id": "id_x", "required": True}
    for value in ("", "1", 1, "2", None, "9"):
        ours = Select(choices=choices).render("x", value, attrs=attrs)
        django = forms.Select(choices=choices).render("x", value, attrs=attrs)
        assert _lines(ours) == _lines(django)
    ours = Select(choices=choices).render("x", "1")
    assert '<option value="1" selected>' in ours and "&lt;skadegörelse&gt;" in ours


def test_the_multiple_select_writes_what_djangos_writes():
    class SelectMultiple(Select):
        allow_multiple_selected = True

    choices = [("1", "Ett"), ("2", "Två"), ("3", "Tre")]
    for value in (["1", "3"], [], None):
        ours = SelectMultiple(choices=choices).render("x", value)
        django = forms.SelectMultiple(choices=choices).render("x", value)
        assert _lines(ours) == _lines(django)
