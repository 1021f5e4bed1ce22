"""Property tests: any bytes given to the GeoJSON area import are imported or refused."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from trygg.core import services
from trygg.core.models import Area
from trygg.core.tests.fuzz import FUZZ, raw, text

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[18.1, 59.2], [18.2, 59.2], [18.2, 59.3], [18.1, 59.2]]],
}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=3),
    max_leaves=12,
)
features = st.fixed_dictionaries(
    {},
    optional={
        "type": st.just("Feature") | json_values,
        "properties": st.fixed_dictionaries({}, optional={"name": text | json_values})
        | json_values,
        "geometry": st.just(SQUARE) | json_values,
    },
)
collections = st.builds(
    lambda items: json.dumps({"type": "FeatureCollection", "features": items}).encode(),
    st.lists(features | json_values, max_size=4),
)


def _import(world, data: bytes) -> None:
    before = Area.objects.count()
    try:
        with transaction.atomic():
            services.areas_import_geojson(
                actor=world.users["samordnare"],
                organisation=world.organisations["nacka"],
                parent=world.areas["Nacka"],
                kind="stadsdel",
                data=data,
            )
    except ValidationError:
        assert Area.objects.count() == before


@FUZZ
@given(data=st.one_of(raw, collections))
def test_any_geojson_is_imported_or_refused(world, data):
    _import(world, data)


def test_a_deeply_nested_geojson_is_refused_with_a_reason(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = b'{"type": "FeatureCollection", "features": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    before = Area.objects.count()
    response = login("samordnare").post(
        reverse("core:area_import"),
        {
            "organisation": world.organisations["nacka"].pk,
            "parent": world.areas["Nacka"].pk,
            "kind": "stadsdel",
            "name_property": "name",
            "file": SimpleUploadedFile("delar.geojson", data),
        },
    )
    assert response.status_code == 200
    assert "för djupt" in response.content.decode()
    assert Area.objects.count() == before
