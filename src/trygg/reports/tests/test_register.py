"""The insatsregister: filters, exports of exactly what is shown, and the answer to a skrivelse."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from trygg.budget import demo
from trygg.core.formatting import NBSP
from trygg.reports.register import RegisterFilter, filtered_measures

pytestmark = pytest.mark.django_db


def sv(msgid: str, plural: str | None = None, n: int = 1, context: str | None = None, **values):
    """The Swedish the pages show for a message, from whichever catalogue translates it."""
    with translation.override("sv"):
        if context:
            text = translation.pgettext(context, msgid)
        elif plural:
            text = translation.ngettext(msgid, plural, n)
        else:
            text = translation.gettext(msgid)
    return text % values if values else text


@pytest.fixture
def hagersten(world):
    return demo.load_hagersten()


def _page_rows(response) -> list[list[str]]:
    body = response.content.decode()
    tbody = body[body.index("<tbody>") : body.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, flags=re.S):
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
    assert header[0] == sv("Measure", context="register of measures")
    assert sv("In collaboration") in header
    assert len(data) == len(rows) == 13
    # The page shows some of the exported columns, and start and end as one period.
    column = {str(name): index for index, name in enumerate(header)}
    for on_screen, in_file in zip(rows, data, strict=True):
        as_text = [
            "–"
            if v in (None, "")
            else (v.strftime("%Y-%m-%d") if isinstance(v, dt.datetime | dt.date) else str(v))
            for v in in_file
        ]
        starts, ends = as_text[column[sv("Starts")]], as_text[column[sv("Ends")]]
        whole_years = starts.endswith("-01-01") and ends.endswith("-12-31")
        period = (
            (starts[:4] if starts[:4] == ends[:4] else f"{starts[:4]}–{ends[:4]}")
            if whole_years
            else f"{starts} – {ends}"
        )
        shown = [
            as_text[column[sv("Measure", context="register of measures")]],
            as_text[column[sv("Status")]],
            as_text[column[sv("Area or place")]],
            period,
            as_text[column[sv("Responsible parties")]],
            as_text[column[sv("Funding")]],
            as_text[column[sv("Known cost")]],
        ]
        assert on_screen == shown
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
    assert all(r[header.index(sv("In collaboration"))] == sv("Yes") for r in data)
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
    assert _page_rows(response)[0][0].startswith(sv("Nothing matches the filters."))


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
        "1. " + sv("Which direct measures have been carried out in the field?"),
        "2. "
        + sv(
            "Which measures were carried out alone and which together with others, and with "
            "what resources?"
        ),
        "3. " + sv("What is planned for the rest of the year?"),
        "4. " + sv("How is the staff who meet young people trained?"),
    ]
    sections = re.split(r"\n\d\. ", "\n" + text)[1:]
    q1, q2, q3, q4 = sections
    assert (
        sv(
            "In %(year)s, %(count)s measure has been carried out or is ongoing: "
            "%(social)s social and %(situational)s situational.",
            "In %(year)s, %(count)s measures have been carried out or are ongoing: "
            "%(social)s social and %(situational)s situational.",
            10,
            year=2024,
            count=10,
            social=8,
            situational=2,
        )
        in q1
    )
    assert "Spontanfotboll i Solberga" in q1 and "Trygghetsvandringar" not in q1
    assert "Kriminalitet som livsstil" not in q1
    own, together = q2.split(sv("In collaboration with others"))
    resources = sv("Resources: %(sources)s", sources="")
    assert "Spontanfotboll i Solberga" in own
    assert resources + sv("Existing budget") in own
    assert "Sommar på torget" in together
    assert sv("With: %(parties)s", parties="Föreningar, Företag, Civilsamhället") in together
    assert resources + sv("Place-based cooperation funds") in together
    assert (
        sv(
            "Of the %(count)s measure, %(own)s was carried out by the organisation alone and "
            "%(together)s together with other parties.",
            "Of the %(count)s measures, %(own)s were carried out by the organisation alone and "
            "%(together)s together with other parties.",
            10,
            count=10,
            own=2,
            together=8,
        )
        in q2
    )
    assert PLANNED_2024_09_26() in q3
    assert "Trygghetsvandringar i Västertorp, Fruängen, Liljeholmen och Älvsjö/Solberga" in q3
    assert "Ansökan om tillståndsområden för ordningsvakter" in q3
    assert (
        sv(
            "%(count)s staff training measure in %(year)s.",
            "%(count)s staff training measures in %(year)s.",
            5,
            count=5,
            year=2024,
        )
        in q4
    )
    assert "Utbildningen Kriminalitet som livsstil för fältassistenter" in q4
    assert resources + sv("Grant from Brå") in q4


def PLANNED_2024_09_26() -> str:  # noqa: N802 – reads as the constant it stands for
    return sv(
        "After %(date)s, %(planned)s measure is planned and %(continuing)s ongoing "
        "measures continue.",
        "After %(date)s, %(planned)s measures are planned and %(continuing)s ongoing "
        "measures continue.",
        6,
        date="2024-09-26",
        planned=6,
        continuing=6,
    )


def test_the_skrivelse_page_shows_the_same_answers(hagersten, login):
    response = login("hagersten").get(
        reverse("register:skrivelse"), {"year": 2024, "as_of": "2024-09-26"}
    )
    body = response.content.decode()
    assert sv("What is planned for the rest of the year?") in body
    assert PLANNED_2024_09_26() in body
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


def test_the_register_page_has_no_n_plus_one(hagersten, login, count_queries):
    client = login("hagersten")
    # Another page of rows (the other order): the filters' options are kept, the rows not.
    client.get(reverse("register:index"), {"sort": "-title"})
    response = count_queries(
        "plans.register", lambda: client.get(reverse("register:index"), {"year": 2024})
    )
    assert len(_page_rows(response)) == len(demo.HAGERSTEN_MEASURES)
    # The same page again: its rows are kept (register_rows.page_rows), the keys read live.
    again = count_queries(
        "plans.register.warm", lambda: client.get(reverse("register:index"), {"year": 2024})
    )
    assert _page_rows(again) == _page_rows(response)


def test_the_skrivelse_page_makes_few_queries(hagersten, login, count_queries):
    client = login("hagersten")
    url, query = reverse("register:skrivelse"), {"year": 2024, "as_of": "2024-09-26"}
    # The first view writes the answers from the measures and their details; the next one
    # reads the selection live and the answers' HTML from the cache (answers_page).
    first = count_queries("plans.register_skrivelse", lambda: client.get(url, query))
    again = count_queries("plans.register_skrivelse.warm", lambda: client.get(url, query))

    def answers(response) -> str:
        body = response.content.decode()
        return body[body.index('<section class="card answer"') : body.rindex("</section>")]

    assert PLANNED_2024_09_26() in answers(again)
    assert answers(again) == answers(first)


def _options(response, name: str) -> list[str]:
    body = response.content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, flags=re.S)
    assert select, name
    return [
        re.sub(r"\s+", " ", o).strip()
        for o in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1), flags=re.S)
    ]


def test_the_filter_options_kept_in_the_cache_follow_the_viewer_and_the_data(
    hagersten, world, login
):
    from trygg.core.models import Membership
    from trygg.plans import services as plan_services

    own = login("hagersten").get(reverse("register:index"))
    assert hagersten.plan.title in _options(own, "plan")
    # Another kommun's viewer, right after: none of Hägersten's plans, areas or places.
    other = login("samordnare").get(reverse("register:index"))
    assert hagersten.plan.title not in _options(other, "plan")
    assert not set(_options(own, "area")[1:]) & set(_options(other, "area")[1:])
    assert "Älta" in _options(other, "area")
    # A new plan is among the options at the next view, not after the cache's timeout.
    plan_services.plan_create(
        actor=None, organisation=hagersten.organisation, title="Ny plan för Hägersten 2025"
    )
    assert "Ny plan för Hägersten 2025" in _options(
        login("hagersten").get(reverse("register:index")), "plan"
    )
    # A viewer limited to an area sees other options at once: the scope is part of the key.
    membership = Membership.objects.get(user__username="samordnare")
    membership.areas.set([world.areas["Älta"]])
    limited = login("samordnare").get(reverse("register:index"))
    assert _options(limited, "place") != _options(other, "place")
    # Whatever the order of the views, each shows what it would without the cache.
    from django.contrib.auth import get_user_model

    from trygg.reports.register_choices import CHOICE_FIELDS, choice_queryset

    for username, response in [("samordnare", limited), ("hagersten", own)]:
        user = get_user_model().objects.get(username=username)
        for name, label in CHOICE_FIELDS.items():
            fresh = [str(v) for v in choice_queryset(user, name).values_list(label, flat=True)]
            if username == "hagersten" and name == "plan":
                fresh.remove("Ny plan för Hägersten 2025")  # created after that view
            assert _options(response, name)[1:] == fresh, (username, name)
