"""Reference geography (290 kommuner, 21 län) and kommundelar imported from GeoJSON."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trygg.core import geo
from trygg.core.models import Area, AuditEntry
from trygg.core.reference import load_reference_geography

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[18.10, 59.28], [18.20, 59.28], [18.20, 59.33], [18.10, 59.33], [18.10, 59.28]]
    ],
}


def test_it_loads_every_kommun_with_its_county_and_boundary():
    counts = load_reference_geography()
    assert counts["created"] == 311
    kommuner = Area.objects.filter(kind="kommun")
    assert kommuner.count() == 290
    assert Area.objects.filter(kind="lan").count() == 21
    nacka = kommuner.get(code="0182")
    assert nacka.name == "Nacka" and nacka.parent.name == "Stockholms län"
    assert geo.contains(nacka.geometry, 59.2945, 18.2560)  # Fisksätra centrum
    assert not kommuner.filter(geometry__isnull=True).exists()
    assert load_reference_geography() == {"created": 0, "updated": 0, "unchanged": 311}


def feature_collection(*features):
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"name": name}, "geometry": geometry}
                for name, geometry in features
            ],
        }
    ).encode()


def test_kommundelar_import_from_geojson_and_a_second_import_changes_nothing(world, login):
    client = login("samordnare")
    data = {
        "organisation": world.organisations["nacka"].pk,
        "parent": world.areas["Nacka"].pk,
        "kind": "stadsdel",
        "name_property": "name",
    }
    upload = SimpleUploadedFile(
        "delar.geojson", feature_collection(("Orminge", SQUARE), ("Kummelnäs", SQUARE))
    )
    response = client.post(reverse("core:area_import"), {**data, "file": upload})
    assert response.status_code == 302
    assert Area.objects.filter(parent=world.areas["Nacka"], name="Orminge").exists()
    entries = AuditEntry.objects.count()
    upload = SimpleUploadedFile(
        "delar.geojson", feature_collection(("Orminge", SQUARE), ("Kummelnäs", SQUARE))
    )
    client.post(reverse("core:area_import"), {**data, "file": upload})
    assert AuditEntry.objects.count() == entries


def test_a_geojson_with_a_bad_feature_is_refused_whole(world, login):
    client = login("samordnare")
    before = Area.objects.count()
    bad = {"type": "Polygon", "coordinates": [[[18.1, 59.2], [18.2, 59.2]]]}
    upload = SimpleUploadedFile(
        "delar.geojson", feature_collection(("Orminge", SQUARE), ("Trasig", bad))
    )
    response = client.post(
        reverse("core:area_import"),
        {
            "organisation": world.organisations["nacka"].pk,
            "parent": world.areas["Nacka"].pk,
            "kind": "stadsdel",
            "name_property": "name",
            "file": upload,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Objekt 2 (Trasig): En gränslinje behöver minst fyra punkter." in body
    assert Area.objects.count() == before


def test_a_too_large_or_wrong_type_upload_is_refused(world, login, settings):
    settings.MAX_UPLOAD_BYTES = 100
    client = login("samordnare")
    form = {
        "organisation": world.organisations["nacka"].pk,
        "parent": world.areas["Nacka"].pk,
        "kind": "stadsdel",
        "name_property": "name",
    }
    big = SimpleUploadedFile("delar.geojson", feature_collection(("Orminge", SQUARE)))
    assert (
        "Filen är för stor"
        in client.post(reverse("core:area_import"), {**form, "file": big}).content.decode()
    )
    exe = SimpleUploadedFile("delar.exe", b"MZ")
    assert (
        "Filtypen är inte tillåten"
        in client.post(reverse("core:area_import"), {**form, "file": exe}).content.decode()
    )


def test_a_kommundel_can_be_created_in_the_ui(world, login):
    response = login("samordnare").post(
        reverse("core:area_create"),
        {
            "organisation": world.organisations["nacka"].pk,
            "parent": world.areas["Nacka"].pk,
            "kind": "kommundel",
            "name": "Orminge",
        },
    )
    assert response.status_code == 302
    area = Area.objects.get(name="Orminge")
    assert area.organisation == world.organisations["nacka"]


def test_another_kommun_cannot_add_areas_under_nacka(world, login):
    response = login("utomstaende").post(
        reverse("core:area_create"),
        {
            "organisation": world.organisations["nacka"].pk,
            "parent": world.areas["Nacka"].pk,
            "kind": "kommundel",
            "name": "Inkräktare",
        },
    )
    assert response.status_code == 200  # the form refuses the organisation choice
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Area.objects.filter(name="Inkräktare").exists()
