"""Photos on incident reports: re-encoded without EXIF, shown only to detail viewers."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from trygg.incidents.models import IncidentPhoto, IncidentReport

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def jpeg_with_gps(size=(640, 480)) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "Telefonmakaren"  # Make
    exif[0x0110] = "Modell X"  # Model
    exif[0x0132] = "2024:03:25 21:37:00"  # DateTime
    exif[GPS_IFD] = {1: "N", 2: (59.0, 18.0, 31.5), 3: "E", 4: (18.0, 9.0, 48.2)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test photo has GPS
    return data


def _form(category, **extra):
    return {
        "category": category.pk,
        "date": "2024-03-25",
        "time": "21:37",
        "assessment": "1",
        "area": "",
        "description": "Klotter på muren.",
        **extra,
    }


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_photo_with_gps_is_stored_without_any_exif(world, categories, login):
    client = login("rapportor")
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps((4000, 3000)), "image/jpeg")
    response = client.post(
        reverse("incidents:report_create"),
        _form(categories["Klotter"], place=world.places["Älta centrum"].pk, photo=upload),
    )
    assert response.status_code == 302
    photo = IncidentPhoto.objects.get()
    with photo.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
        assert max(stored.size) == 2048  # scaled down from 4000 × 3000
    served = client.get(reverse("incidents:report_photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"Telefonmakaren" not in b"".join(served.streaming_content)


def test_photos_are_shown_only_to_those_who_see_the_report_in_detail(world, categories, login):
    client = login("samordnare")
    upload = SimpleUploadedFile("klotter.jpg", jpeg_with_gps(), "image/jpeg")
    client.post(
        reverse("incidents:report_create"),
        _form(categories["Klotter"], place=world.places["Älta centrum"].pk, photo=upload),
    )
    report = IncidentReport.objects.get()
    photo = report.photos.get()
    detail = reverse("incidents:report_detail", args=[report.pk])
    photo_url = reverse("incidents:report_photo", args=[photo.pk])
    assert photo_url in client.get(detail).content.decode()
    # The police partner sees the report blurred: no photo, and its address is a 404.
    partner = login("polis")
    assert partner.get(detail).status_code == 200
    assert photo_url not in partner.get(detail).content.decode()
    assert partner.get(photo_url).status_code == 404
    assert login("utomstaende").get(photo_url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Filtypen är inte tillåten"),
        ("bild.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "inte ett foto som kan läsas"),
    ],
)
def test_a_file_that_is_no_photo_is_refused_and_nothing_is_filed(
    world, categories, login, name, content, message
):
    client = login("rapportor")
    response = client.post(
        reverse("incidents:report_create"),
        _form(
            categories["Klotter"],
            place=world.places["Älta centrum"].pk,
            photo=SimpleUploadedFile(name, content),
        ),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IncidentReport.objects.exists() and not IncidentPhoto.objects.exists()


def test_a_too_large_photo_is_refused(world, categories, login, settings):
    from trygg.incidents import services

    client = login("rapportor")
    big = SimpleUploadedFile("stor.jpg", b"\xff\xd8" + b"\x00" * (services.PHOTO_MAX_BYTES + 1))
    response = client.post(
        reverse("incidents:report_create"),
        _form(categories["Klotter"], place=world.places["Älta centrum"].pk, photo=big),
    )
    assert response.status_code == 200
    assert "för stor" in response.content.decode()
    assert not IncidentReport.objects.exists()
