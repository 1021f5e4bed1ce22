"""Model choices offered by their label column or from objects already read render exactly
as Django's own model choices, and still validate against the field's queryset."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.core.forms import choose_by_label, choose_from_listed
from trygg.core.models import Area

pytestmark = pytest.mark.django_db


class AreaChoice(forms.Form):
    area = forms.ModelChoiceField(queryset=Area.objects.none())
    optional = forms.ModelChoiceField(queryset=Area.objects.none(), required=False)


def _forms(data=None):
    ours, django = AreaChoice(data), AreaChoice(data)
    offered = Area.objects.exclude(name__startswith="Ä").order_by("name")
    choose_by_label(ours, "area", offered)
    choose_from_listed(ours, "optional", offered, list(offered))
    for name in ("area", "optional"):
        django.fields[name].queryset = offered
    return ours, django


@pytest.mark.parametrize("chosen", [None, "first", "excluded"])
def test_the_options_render_as_django_renders_them(world, chosen):
    first = Area.objects.exclude(name__startswith="Ä").order_by("name").first()
    excluded = Area.objects.filter(name__startswith="Ä").first()
    data = None
    if chosen:
        pk = (first if chosen == "first" else excluded).pk
        data = {"area": pk, "optional": pk}
    ours, django = _forms(data)
    for name in ("area", "optional"):
        assert str(ours[name]) == str(django[name])
    assert 'value="' in str(ours["area"]) and "Ä" not in str(ours["area"])
    if data:
        assert ours.is_valid() == django.is_valid() == (chosen == "first")
        if chosen == "first":
            assert ours.cleaned_data["area"] == first


def test_listed_choices_read_nothing_more(world):
    ours, _django = _forms()
    with CaptureQueriesContext(connection) as queries:
        str(ours["optional"])
    assert not queries.captured_queries


def test_a_field_that_labels_its_options_itself_is_refused():
    class Labelled(forms.ModelChoiceField):
        def label_from_instance(self, obj):
            return obj.code

    class Form(forms.Form):
        area = Labelled(queryset=Area.objects.none())

    with pytest.raises(TypeError):
        choose_by_label(Form(), "area", Area.objects.all())
