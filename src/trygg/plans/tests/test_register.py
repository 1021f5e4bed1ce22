"""The insatsregister: filters, exports of exactly what is shown, and the answer to a skrivelse."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from trygg.budget import demo
from trygg.core.formatting import NBSP
from trygg.plans.register import RegisterFilter, filtered_measures

pytestmark = pytest.mark.django_db


@pytest.fixture
def hagersten(world):
    return demo.load_hagersten()


def _page_rows(response) -> list[list[str]]:
    body = response.content.decode()
    tbody = body[body.index("<tbody>") : body.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", tbody, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        rows.append(
            [
                re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c).replace(NBSP, " ")).strip()
                for c in cells
            ]
        )
    return rows


def _titles(hagersten, keys) -> set[str]:
    return {hagersten.measures[k].title for k in keys}


def _filter(user, **params) -> set[str]:
    _form, queryset = filtered_measures(user, {k: str(v) for k, v in params.items()})
    return {m.title for m in queryset}


def test_the_register_filtered_to_hagersten_2024_in_collaboration_exports_the_rows_on_screen(
    hagersten, login
):
    params = {"area": hagersten.area.pk, "year": 2024, "collaboration": "collaboration"}
    client = login("hagersten")
    page = client.get(reverse("register:index"), params)
    assert page.status_code == 200
    rows = _page_rows(page)
    export = client.get(reverse("register:index"), {**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    exported = list(sheet.iter_rows(values_only=True))
    header, data = exported[0], exported[1:]
    assert header[0] == "Insats" and "I samverkan" in header
    assert len(data) == len(rows) == 13
    for on_screen, in_file in zip(rows, data, strict=True):
        as_text = [
            "–"
            if v in (None, "")
            else (v.strftime("%Y-%m-%d") if isinstance(v, dt.datetime | dt.date) else str(v))
            for v in in_file
        ]
        assert on_screen == as_text
    assert {r[0] for r in rows} == _titles(
        hagersten,
        [
            "faltassistenter",
            "nattvandring",
            "sommar_pa_torget",
            "platssamverkan",
            "meningsfull_fritid",
            "fritidsklubbar",
            "sspf_implementering",
            "fotbollsvecka",
            "sspf_omradesmoten",
            "sst_plus",
            "foreningar_rf_sisu",
            "ideburet_partnerskap",
            "tidiga_tecken",
        ],
    )
    assert all(r[header.index("I samverkan")] == "Ja" for r in rows)
    csv = client.get(reverse("register:index"), {**params, "format": "csv"})
    assert csv.content.decode("utf-8-sig").count("\r\n") == 14


def test_the_api_uses_the_same_filters_as_the_page(hagersten, login):
    params = {"area": hagersten.area.pk, "year": 2024, "collaboration": "collaboration"}
    client = login("hagersten")
    api = client.get("/api/budget/register", params).json()
    page = _page_rows(client.get(reverse("register:index"), params))
    assert api["count"] == len(page)
    assert {m["title"] for m in api["items"]} == {r[0] for r in page}
    assert all(m["in_collaboration"] for m in api["items"])
    assert set(RegisterFilter.as_schema("Q").model_fields) == set(RegisterFilter.base_fields)


def test_the_filters_find_measures_by_place_kind_partner_money_status_and_target_group(hagersten):
    user = hagersten.user
    assert _filter(user, area=hagersten.stadsdelar["Solberga"].pk) == _titles(
        hagersten,
        [
            "spontanfotboll",
            "nattvandring",
            "ideburet_partnerskap",
            "ordningsvakter",
            "trygghetsvandringar",
        ],
    )
    assert len(_filter(user, area=hagersten.area.pk)) == len(demo.HAGERSTEN_MEASURES)
    assert _filter(user, prevention_type="situationell") == _titles(
        hagersten, ["sommar_pa_torget", "platssamverkan", "ordningsvakter", "trygghetsvandringar"]
    )
    assert _filter(user, source="bra") == _titles(
        hagersten, ["kriminalitet_som_livsstil", "mi_fritidsledare"]
    )
    assert _filter(user, source="rf_sisu") == _titles(hagersten, ["sommarlovsprogram"])
    assert _filter(user, party="polis") == _titles(
        hagersten,
        [
            "faltassistenter",
            "platssamverkan",
            "sspf_implementering",
            "sspf_omradesmoten",
            "tidiga_tecken",
        ],
    )
    assert _filter(user, collaboration="own") == _titles(
        hagersten,
        [
            "spontanfotboll",
            "sommarlovsprogram",
            "ordningsvakter",
            "trygghetsvandringar",
            "kriminalitet_som_livsstil",
            "mi_fritidsledare",
            "pa_ratt_vag",
            "andt",
        ],
    )
    assert _filter(user, year=2025) == _titles(hagersten, ["ideburet_partnerskap"])
    assert _filter(user, year=2023) == set()
    assert _filter(user, status="not_started", target_group="riskzon") == _titles(
        hagersten, ["sst_plus"]
    )
    assert _filter(user, category="staff_training") == _titles(
        hagersten,
        ["kriminalitet_som_livsstil", "mi_fritidsledare", "pa_ratt_vag", "tidiga_tecken", "andt"],
    )


def test_a_forged_filter_value_shows_an_error_and_no_rows(hagersten, world, login):
    nacka_area = world.areas["Älta"]
    response = login("hagersten").get(reverse("register:index"), {"area": nacka_area.pk})
    assert response.status_code == 200
    assert _page_rows(response) == [["Inget matchar."]]


def _docx_text(content: bytes) -> tuple[list[str], str]:
    document = Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    return headings, "\n".join(p.text for p in document.paragraphs)


def test_the_skrivelse_docx_answers_the_four_questions_from_the_data(hagersten, login):
    response = login("hagersten").get(
        reverse("register:skrivelse"),
        {"year": 2024, "as_of": "2024-09-26", "area": hagersten.area.pk, "format": "docx"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    headings, text = _docx_text(response.content)
    questions = [h for h in headings if re.match(r"^\d\. ", h)]
    assert questions == [
        "1. Vilka direkta insatser har genomförts ute i stadsmiljön?",
        "2. Vilka insatser har genomförts på egen hand och vilka i samverkan med andra parter, "
        "och med vilka resurser?",
        "3. Vilka insatser planeras under resten av året?",
        "4. Hur fortbildas den personal som möter ungdomarna?",
    ]
    sections = re.split(r"\n\d\. ", "\n" + text)[1:]
    q1, q2, q3, q4 = sections
    assert "Under 2024 har 10 insatser genomförts eller pågår: 8 sociala och 2 situationella." in q1
    assert "Spontanfotboll i Solberga" in q1 and "Trygghetsvandringar" not in q1
    assert "Kriminalitet som livsstil" not in q1
    own, together = q2.split("I samverkan med andra")
    assert "Spontanfotboll i Solberga" in own and "Resurser: Befintlig budget" in own
    assert "Sommar på torget" in together and "Med: Föreningar, Företag, Civilsamhället" in together
    assert "Resurser: Platssamverkansmedel" in together
    assert (
        "Av de 10 insatserna genomfördes 2 av organisationen på egen hand och 8 i samverkan" in q2
    )
    assert "Efter 2024-09-26 planeras 6 insatser och 6 pågående insatser fortsätter." in q3
    assert "Trygghetsvandringar i Västertorp, Fruängen, Liljeholmen och Älvsjö/Solberga" in q3
    assert "Ansökan om tillståndsområden för ordningsvakter" in q3
    assert "5 insatser för kompetensutveckling av personal under 2024." in q4
    assert "Utbildningen Kriminalitet som livsstil för fältassistenter" in q4
    assert "Resurser: Bidrag från Brå" in q4


def test_the_skrivelse_page_shows_the_same_answers(hagersten, login):
    response = login("hagersten").get(
        reverse("register:skrivelse"), {"year": 2024, "as_of": "2024-09-26"}
    )
    body = response.content.decode()
    assert "Vilka insatser planeras under resten av året?" in body
    assert "Efter 2024-09-26 planeras 6 insatser och 6 pågående insatser fortsätter." in body
    assert "format=docx" in body


def test_a_status_change_moves_a_measure_between_the_answers(hagersten, login):
    from trygg.plans import services as plan_services
    from trygg.plans.choices import StatusCategory
    from trygg.plans.models import MeasureStatus

    done = MeasureStatus.objects.get(
        organisation=hagersten.organisation, category=StatusCategory.DONE
    )
    plan_services.measure_set_status(
        actor=hagersten.user, measure=hagersten.measures["trygghetsvandringar"], status=done
    )
    response = login("hagersten").get(
        reverse("register:skrivelse"), {"year": 2024, "as_of": "2024-09-26", "format": "docx"}
    )
    _headings, text = _docx_text(response.content)
    q1, _q2, q3, _q4 = re.split(r"\n\d\. ", "\n" + text)[1:]
    assert "Trygghetsvandringar i Västertorp" in q1
    assert "Trygghetsvandringar i Västertorp" not in q3


def test_the_register_page_has_no_n_plus_one(hagersten, login, django_assert_max_num_queries):
    client = login("hagersten")
    client.get(reverse("register:index"))
    with django_assert_max_num_queries(30):
        response = client.get(reverse("register:index"), {"year": 2024})
    assert len(_page_rows(response)) == len(demo.HAGERSTEN_MEASURES)
