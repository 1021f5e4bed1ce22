"""A personnummer never appears in a list, search result, export, API answer, log line,
error page, access log or change log – only on the case page itself, to those in the case."""

from __future__ import annotations

import io
import logging

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from trygg.cases import crypto
from trygg.cases.models import Case
from trygg.cases.tests.conftest import PNR_ALVA, PNR_NILS
from trygg.core.models import AccessLogEntry, AuditEntry

pytestmark = pytest.mark.django_db


def forms_of(pnr: str) -> list[str]:
    digits = pnr.replace("-", "")
    return [pnr, digits, digits[2:], pnr[2:], digits[:8]]


def assert_absent(text: str, pnr: str = PNR_ALVA) -> None:
    for form in forms_of(pnr):
        assert form not in text, f"personnummer ({form}) leaked"


def test_it_is_stored_encrypted_and_found_by_its_keyed_hash(cases):
    case = Case.objects.get(pk=cases.alva.pk)
    assert_absent(case.personnummer_token)
    assert_absent(case.personnummer_hash)
    assert case.personnummer == PNR_ALVA
    assert case.personnummer_hash == crypto.lookup_hash(crypto.normalise(PNR_ALVA))
    assert case.birth_year == 2010


def test_it_is_never_in_lists_search_exports_or_the_api(cases, login, caplog):
    client = login("sspf")
    caplog.set_level(logging.DEBUG)
    pages = [
        reverse("cases:case_list"),
        "/api/cases/",
        "/api/cases/?q=" + PNR_ALVA,
        f"/api/cases/{cases.alva.pk}",
        reverse("cases:access_log"),
        reverse("cases:case_access_log", args=[cases.alva.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        assert_absent(response.content.decode())
    # The search by personnummer finds the case (by the keyed hash) without the number
    # standing in any address, link or form on the way.
    for written in [PNR_ALVA, PNR_ALVA.replace("-", ""), PNR_ALVA[2:]]:
        posted = client.post(reverse("cases:case_list"), {"q": written})
        assert posted.status_code == 302
        assert_absent(posted["Location"])
        found = client.get(posted["Location"])
        assert "Alva Exempelsson" in found.content.decode()
        assert "Omar" not in found.content.decode()
        assert_absent(found.content.decode())
    typed_in_address = client.get(reverse("cases:case_list") + "?q=" + PNR_ALVA)
    assert typed_in_address.status_code == 302
    assert_absent(typed_in_address["Location"])
    assert client.get("/api/cases/?q=" + PNR_ALVA).json()["count"] == 1
    searched = client.post("/api/cases/search", {"q": PNR_ALVA}, content_type="application/json")
    assert searched.json()["count"] == 1
    assert_absent(searched.content.decode())
    csv = client.get(reverse("cases:case_list") + "?format=csv").content.decode("utf-8-sig")
    assert "Alva Exempelsson" in csv
    assert_absent(csv)
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("cases:case_list") + "?format=xlsx").content)
    )
    cells = " ".join(str(c.value) for row in workbook.active.iter_rows() for c in row)
    assert "Alva Exempelsson" in cells
    assert_absent(cells)
    assert_absent(caplog.text)
    # The case page shows it to those in the case.
    assert (
        PNR_ALVA in client.get(reverse("cases:case_detail", args=[cases.alva.pk])).content.decode()
    )


def test_it_is_never_in_the_access_log_or_the_change_log(cases, login):
    login("sspf").post(reverse("cases:case_list"), {"q": PNR_ALVA}, follow=True)
    login("sspf").get("/api/cases/?q=" + PNR_ALVA)
    login("sspf").get(reverse("cases:case_detail", args=[cases.alva.pk]))
    assert AccessLogEntry.objects.exists() and AuditEntry.objects.exists()
    for entry in AccessLogEntry.objects.all():
        assert_absent(f"{entry.object_repr} {entry.path}")
    for entry in AuditEntry.objects.all():
        text = f"{entry.object_repr} {entry.changes} {entry.note}"
        assert_absent(text)
        assert_absent(text, PNR_NILS)
        assert "Alva Exempelsson" not in text  # nor the youth's name


def test_case_changes_stay_out_of_the_organisations_audit_log(cases, login):
    page = login("admin").get(reverse("core:audit_log")).content.decode()
    assert cases.alva.reference not in page
    assert "Exempelsson" not in page


def test_a_bad_number_gets_a_swedish_error_without_echoing_it(cases, login, caplog):
    caplog.set_level(logging.DEBUG)
    bad = "20100315-2385"  # wrong check digit
    response = login("sspf").post(
        reverse("cases:case_create"),
        {
            "organisation": cases.nacka.pk,
            "programme": "sspf",
            "youth_name": "Test Testsson",
            "personnummer": bad,
            "gender": "flicka",
            "start_date": "2023-05-01",
            "coordinator": cases.users["sspf"].pk,
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "kontrollsiffra" in text
    assert_absent(text, bad)
    assert_absent(caplog.text, bad)


def test_a_duplicate_youth_is_refused_without_revealing_whose_case_it_is(cases, login):
    response = login("sspf").post(
        reverse("cases:case_create"),
        {
            "organisation": cases.nacka.pk,
            "programme": "sspf",
            "youth_name": "Någon Annan",
            "personnummer": PNR_ALVA.replace("-", "")[2:],  # same number, other spelling
            "gender": "flicka",
            "start_date": "2023-05-01",
            "coordinator": cases.users["sspf"].pk,
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "redan ett aktuellt ärende" in text
    assert cases.alva.reference not in text and "Exempelsson" not in text
    assert_absent(text)


def test_the_error_page_does_not_show_it(cases, client, settings):
    settings.DEBUG = False
    response = client.get("/ungdomar/" + PNR_ALVA + "/")
    assert response.status_code in (302, 404)
    assert_absent(response.content.decode())
