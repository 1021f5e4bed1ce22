"""Tests for reading and writing a plan för samverkan (trygg.plans.parsing)."""

import io
from pathlib import Path

import docx
import pytest

from trygg.plans.parsing import (
    ActivityData,
    FocusAreaData,
    MeasureData,
    ParseError,
    PlanDocument,
    Responsible,
    parse_plan_docx,
    parse_plan_text,
    parse_responsibles,
)
from trygg.reports.plan_docx import write_plan_docx

SEED = Path(__file__).parent / "data" / "plan_for_samverkan_nacka.txt"

AREAS = [
    "Områden med kriminell påverkan",
    "Unga i risk för kriminalitet",
    "Särskilt utsatta brottsoffer",
    "Platssamverkan",
    "Ett tryggt och säkert valår",
]
COLUMNS = ["Utmaning", "Åtgärd", "Ansvarig", "Status"]
HEADER = "\t".join(COLUMNS)


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plan(seed_text) -> PlanDocument:
    return parse_plan_text(seed_text)


def activity(plan: PlanDocument, title: str) -> ActivityData:
    (found,) = [a for a in plan.activities if a.title == title]
    return found


def minimal_plan(*body: str) -> str:
    """A small plan with one listed focus area followed by ``body`` lines."""
    return "\n".join(
        [
            "Plan för samverkan Testkommun",
            "",
            "Prioriterade samverkansområden",
            "",
            "- Trygg stadskärna",
            "",
            "Trygg stadskärna",
            "",
            "Syftet är att centrum ska vara tryggt.",
            "",
            "Mål för aktiviteten",
            "",
            "Färre rån.",
            "",
            *body,
        ]
    )


# -- the seed plan ------------------------------------------------------------------------------


def test_seed_counts(plan):
    assert [a.title for a in plan.focus_areas] == AREAS
    assert len(plan.activities) == 27
    assert len(plan.measures) == 28
    assert [len(a.activities) for a in plan.focus_areas] == [6, 6, 4, 8, 3]
    assert plan.warnings == []


def test_seed_title_and_introduction(plan):
    assert plan.title == "Plan för samverkan Nacka kommun / polisen"
    assert plan.purpose.startswith("Nacka kommun och lokalpolisområde Nacka har tillsammans")
    assert "• Medarbetardialoger¹\n• Samverkanspartners" in plan.purpose
    assert "Prioriterade samverkansområden" not in plan.purpose


def test_seed_focus_area_purpose_and_goal(plan):
    first = plan.focus_areas[0]
    assert first.purpose.startswith("Det övergripande syftet med denna aktivitet är att påverka")
    assert first.purpose.endswith("narkotika och tystnadskulturen.")
    assert first.goal == (
        "Att göra insatser på platser med kriminell påverkan och antal insatser enl. "
        "specifikation av nedanstående aktiviteter."
    )
    assert first.line == 45
    # "Mål för aktivitet" (without -en) works as well.
    assert plan.focus_areas[2].goal.startswith("Att stärka målgruppen")


def test_seed_broken_purpose_paragraph_is_joined(plan):
    purpose = plan.focus_areas[-1].purpose
    assert "\n" not in purpose
    assert "i kommunen, vilket innefattar arbete mot muta och bestickning" in purpose
    assert purpose.endswith("med allt vad det innebär.")


def test_seed_sspf_has_two_measures(plan):
    sspf = activity(plan, "SSPF")
    assert len(sspf.measures) == 2
    assert sspf.measures[0].challenge.startswith("Att minimera unga i riskzon")
    assert sspf.measures[1].action.endswith("Inkludera ungdomar över 18 år.")
    assert [m.line for m in sspf.measures] == [94, 97]


def test_seed_klotter_continuation_row_is_merged(plan):
    (measure,) = activity(plan, "Insatser på klotterdrabbade platser").measures
    assert measure.challenge == "Polisanmält klotter ökar i kommunen"
    assert measure.action == (
        "Inhämta data för att få fram dagar, tider och platser för klotter. "
        "Utifrån det skall insatser göras."
    )
    assert "platser för klotter" in measure.action
    assert Responsible("kommun", "Kommun", "Park och utemiljö") in measure.responsibles
    assert any(r.kind == "polis" and r.organisation == "Polis" for r in measure.responsibles)
    assert measure.line == 178


def test_seed_html_list_becomes_action_items(plan):
    (measure,) = activity(plan, "Ökad socialisering (Social resistens)").measures
    assert measure.action_items == [
        "Informationskampanjer",
        "Aktiviteter för ökad socialisering i området",
        "Jobba mot tystnadskulturen",
        "Föräldravandring.",
    ]
    assert "<ul" not in measure.action
    assert measure.action.splitlines()[0] == "• Informationskampanjer"
    (narkotika,) = activity(plan, "Öppen narkotikahandel").measures
    assert len(narkotika.action_items) == 3


def test_seed_plain_action_has_no_items(plan):
    (measure,) = activity(plan, "Avhopparverksamhet").measures
    assert measure.action_items == []
    assert measure.action == (
        "Bidra till att öka kvalitén i den avhopparverksamhet som finns i kommunen"
    )


def test_seed_status_is_empty_and_every_measure_has_responsibles(plan):
    assert {m.status for m in plan.measures} == {""}
    assert all(m.responsibles for m in plan.measures)
    kinds = {r.kind for m in plan.measures for r in m.responsibles}
    assert kinds == {"kommun", "polis", "other"}


def test_seed_responsibles_of_named_activities(plan):
    def first(title):
        return [
            (r.kind, r.organisation, r.unit) for r in activity(plan, title).measures[0].responsibles
        ]

    assert first("Arbetsplatskontroller i utsatta områden") == [
        ("polis", "Polis", ""),
        ("kommun", "Kommun", "Näringslivsdirektör"),
    ]
    assert first("Fokusungdomar") == [
        ("kommun", "Kommun", "Sociala omsorgsprocessen, SSPF samordnare"),
        ("polis", "Polis", ""),
    ]
    assert first("Trygga och säkra vallokaler") == [
        ("kommun", "Kommun", "Brå"),
        ("polis", "Polis", ""),
        ("kommun", "Kommun", "Valadministration"),
    ]


# -- Ansvarig -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Polis/Avhopparsamordnare Kommun/Sociala omsorgsprocessen",
            [
                ("polis", "Polis", "Avhopparsamordnare"),
                ("kommun", "Kommun", "Sociala omsorgsprocessen"),
            ],
        ),
        (
            "Polis Kommun Fastighetsägare och andra aktörer i området.",
            [
                ("polis", "Polis", ""),
                ("kommun", "Kommun", ""),
                ("other", "Fastighetsägare och andra aktörer i området", ""),
            ],
        ),
        (
            "Kommun/ Sociala omsorgsprocessen och SSPF samordnare Polis",
            [
                ("kommun", "Kommun", "Sociala omsorgsprocessen och SSPF samordnare"),
                ("polis", "Polis", ""),
            ],
        ),
        (
            "Kommun/Välfärd samhällsservice, Sociala omsorgsprocessen, Polisen",
            [
                ("kommun", "Kommun", "Välfärd samhällsservice, Sociala omsorgsprocessen"),
                ("polis", "Polis", ""),
            ],
        ),
        (
            "Partiernas Säkerhetsansvariga. Kommun Polis",
            [
                ("other", "Partiernas Säkerhetsansvariga", ""),
                ("kommun", "Kommun", ""),
                ("polis", "Polis", ""),
            ],
        ),
        (
            "Kommun/Brå Polis. Kommunens valadministration.",
            [
                ("kommun", "Kommun", "Brå"),
                ("polis", "Polis", ""),
                ("kommun", "Kommun", "Valadministration"),
            ],
        ),
        (
            "Polis Kommun/Näringslivsdir-ektör",
            [("polis", "Polis", ""), ("kommun", "Kommun", "Näringslivsdirektör")],
        ),
        (
            "Kommun/ Utbildningsnämnden Polisen",
            [("kommun", "Kommun", "Utbildningsnämnden"), ("polis", "Polis", "")],
        ),
        ("Kommunvakter", [("other", "Kommunvakter", "")]),
        ("Kommun och Polis", [("kommun", "Kommun", ""), ("polis", "Polis", "")]),
        (
            "Nacka kommun/Brå, Polisens lokala lag",
            [("kommun", "Kommun", "Brå"), ("polis", "Polis", "Lokala lag")],
        ),
        ("", []),
    ],
)
def test_parse_responsibles(text, expected):
    assert [(r.kind, r.organisation, r.unit) for r in parse_responsibles(text)] == expected


def test_responsible_label():
    assert Responsible("kommun", "Kommun", "Brå").label == "Kommun/Brå"
    assert Responsible("polis", "Polis").label == "Polis"


# -- heading detection --------------------------------------------------------------------------


def test_windows_line_endings_and_byte_order_mark(seed_text, plan):
    assert parse_plan_text("\ufeff" + seed_text.replace("\n", "\r\n")) == plan


def test_focus_areas_found_without_the_list(seed_text):
    lines = seed_text.splitlines()
    # Drop "Prioriterade samverkansområden" and its list (lines 27-35).
    without_list = "\n".join(lines[:26] + lines[35:])
    plan = parse_plan_text(without_list)
    assert [a.title for a in plan.focus_areas] == AREAS
    assert len(plan.measures) == 28


def test_heading_that_differs_from_the_list_is_found_by_its_goal(seed_text):
    text = seed_text.replace("\nPlatssamverkan\n", "\nPlatssamverkan i kommunen\n")
    plan = parse_plan_text(text)
    assert [a.title for a in plan.focus_areas][3] == "Platssamverkan i kommunen"
    assert len(plan.focus_areas[3].activities) == 8
    assert any("”Platssamverkan” finns i listan" in w for _, w in plan.warnings)


def test_text_outside_tables_is_reported_as_warning():
    plan = parse_plan_text(
        minimal_plan(
            "Aktivitet: Ordningsvakter",
            "",
            "Lite förklarande text.",
            HEADER,
            "Rån\tFler vakter\tKommun\tPågående",
        )
    )
    (measure,) = plan.measures
    assert measure.status == "Pågående"
    assert plan.focus_areas[0].purpose == "Syftet är att centrum ska vara tryggt."
    assert plan.focus_areas[0].goal == "Färre rån."
    assert plan.warnings == [
        (
            17,
            "Rad 17: texten ”Lite förklarande text.” står utanför aktivitetens tabell och har "
            "inte lästs in.",
        )
    ]


def test_cell_with_li_items_and_entities():
    plan = parse_plan_text(
        minimal_plan(
            "Aktivitet: Belysning",
            HEADER,
            "Mörkt\tInför:<ul><li>Ny belysning</li><li>Röjning &amp; klippning</li></ul>"
            "\tKommun/Park\tSlutförd",
        )
    )
    (measure,) = plan.measures
    assert measure.action_items == ["Ny belysning", "Röjning & klippning"]
    assert measure.action == "Inför:\n• Ny belysning\n• Röjning & klippning"
    assert measure.status == "Slutförd"


# -- problems -----------------------------------------------------------------------------------


def test_bad_row_raises_parse_error_with_line_number(seed_text):
    lines = seed_text.splitlines()
    assert lines[55].startswith("Att följa och leva upp")
    challenge, action, _responsible, _status = lines[55].split("\t")
    lines[55] = f"{challenge}\t{action}\tPolis"  # 3 cells instead of 4
    with pytest.raises(ParseError) as raised:
        parse_plan_text("\n".join(lines))
    assert raised.value.problems == [
        (56, "Rad 56: raden har 3 kolumner, väntade 4 (Utmaning, Åtgärd, Ansvarig, Status).")
    ]
    assert "Rad 56" in str(raised.value)


def test_all_problems_are_collected():
    text = "\n".join(
        [
            "Plan för samverkan Testkommun",  # 1
            "Aktivitet: För tidigt",  # 2
            "Prioriterade samverkansområden",  # 3
            "- Trygg stadskärna",  # 4
            "Trygg stadskärna",  # 5
            "Mål för aktiviteten",  # 6
            "Färre rån.",  # 7
            HEADER,  # 8: table before any activity
            "Rån\tVakter\tPolis\t",  # 9
            "Aktivitet: Vakter",  # 10
            HEADER,  # 11
            "Rån\t\tPolis\t",  # 12: empty Åtgärd
            "Stöld\tLarm\tPolis\t\tExtra",  # 13: five cells
            "Aktivitet: ",  # 14: no name
            HEADER,  # 15
            "\tfortsättning\tPolis\t",  # 16: continuation without a row before it
        ]
    )
    with pytest.raises(ParseError) as raised:
        parse_plan_text(text)
    assert raised.value.problems == [
        (2, "Rad 2: ”Aktivitet:” står före det första samverkansområdet."),
        (
            8,
            "Rad 8: tabellen hör inte till någon aktivitet (raden ”Aktivitet: …” saknas före "
            "tabellen).",
        ),
        (12, "Rad 12: raden saknar Åtgärd."),
        (13, "Rad 13: raden har 5 kolumner, väntade 4 (Utmaning, Åtgärd, Ansvarig, Status)."),
        (14, "Rad 14: aktiviteten saknar namn."),
        (
            16,
            "Rad 16: raden saknar Utmaning och det finns ingen rad före den att fortsätta.",
        ),
    ]


def test_rows_without_header_and_misplaced_goal():
    text = minimal_plan(
        "Aktivitet: Vakter",
        "Rån\tVakter\tPolis\t",  # no header row before it
        "Mål för aktiviteten",
        "Text",
    )
    with pytest.raises(ParseError) as raised:
        parse_plan_text(text)
    messages = [m for _, m in raised.value.problems]
    assert messages[0] == (
        "Rad 16: tabellen saknar rubrikraden Utmaning, Åtgärd, Ansvarig, Status."
    )
    assert messages[1].startswith("Rad 17: ”Mål för aktiviteten” står på fel ställe")


def test_document_without_focus_areas():
    with pytest.raises(ParseError) as raised:
        parse_plan_text("Plan för samverkan\n\nBara lite text.\n")
    assert raised.value.problems[0][0] == 0
    assert "Hittade inga prioriterade samverkansområden" in raised.value.problems[0][1]
    with pytest.raises(ParseError, match="tomt"):
        parse_plan_text("\n\n")


# -- Word ---------------------------------------------------------------------------------------


def test_docx_round_trip_equals_text_parse(plan):
    stream = io.BytesIO()
    assert write_plan_docx(plan, stream) is stream
    stream.seek(0)
    again = parse_plan_docx(stream)
    assert again == plan
    assert again.warnings == []
    # Spelled out, in case equality is ever loosened.
    assert [a.title for a in again.focus_areas] == AREAS
    assert [a.purpose for a in again.focus_areas] == [a.purpose for a in plan.focus_areas]
    assert [a.goal for a in again.focus_areas] == [a.goal for a in plan.focus_areas]
    assert [a.title for a in again.activities] == [a.title for a in plan.activities]
    assert [
        (m.challenge, m.action, m.action_items, m.responsibles, m.status) for m in again.measures
    ] == [(m.challenge, m.action, m.action_items, m.responsibles, m.status) for m in plan.measures]
    assert again.purpose == plan.purpose
    assert again.measures[0].location == "Tabell 1, rad 2"


def test_docx_round_trip_through_a_file(plan, tmp_path):
    path = tmp_path / "plan.docx"
    write_plan_docx(plan, path)
    assert parse_plan_docx(path) == plan
    assert parse_plan_docx(str(path)) == plan


def test_written_docx_is_well_formatted(plan):
    document = docx.Document(write_plan_docx(plan))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert styles[0] == ("Title", plan.title)
    assert ("Heading 1", "Unga i risk för kriminalitet") in styles
    assert ("Heading 2", "Aktivitet: SSPF") in styles
    assert ("Heading 3", "Mål för aktiviteten") in styles
    assert len(document.tables) == 27
    header = document.tables[0].rows[0]
    assert [c.text for c in header.cells] == ["Utmaning", "Åtgärd", "Ansvarig", "Status"]
    assert all(run.bold for c in header.cells for run in c.paragraphs[0].runs)
    social = document.tables[1].rows[1].cells
    assert [p.style.name for p in social[1].paragraphs] == ["List Bullet"] * 4
    assert [p.text for p in social[2].paragraphs] == [
        "Polis",
        "Kommun",
        "Fastighetsägare och andra aktörer i området",
    ]


def build_docx(with_table) -> io.BytesIO:
    """A hand-made Word plan without the area list: Heading 1 areas, Word tables."""
    document = docx.Document()
    document.add_paragraph("Bilaga 1")
    document.add_heading("Plan för samverkan Testkommun", level=0)
    document.add_paragraph("Vi samverkar.")
    document.add_heading("Trygg stadskärna", level=1)
    document.add_paragraph("Centrum ska vara tryggt.")
    document.add_heading("Aktivitet: Belysning", level=2)
    with_table(document)
    stream = io.BytesIO()
    document.save(stream)
    stream.seek(0)
    return stream


def test_docx_heading_styles_and_cell_lists():
    def table(document):
        t = document.add_table(rows=2, cols=4)
        for cell, text in zip(t.rows[0].cells, COLUMNS, strict=True):
            cell.text = text
        challenge, action, responsible, status = t.rows[1].cells
        challenge.text = "Mörka gångvägar"
        action.text = "Inför:"
        action.add_paragraph("Ny belysning", style="List Bullet")
        action.add_paragraph("• Röjning av buskar")
        responsible.text = "Kommun/Park"
        responsible.add_paragraph("Polisen")
        status.text = "Pågående"

    plan = parse_plan_docx(build_docx(table))
    assert plan.title == "Plan för samverkan Testkommun"
    assert plan.purpose == "Vi samverkar."
    (area,) = plan.focus_areas
    assert area.title == "Trygg stadskärna"
    assert area.purpose == "Centrum ska vara tryggt."
    assert area.goal == ""
    assert plan.measures == [
        MeasureData(
            challenge="Mörka gångvägar",
            action="Inför:\n• Ny belysning\n• Röjning av buskar",
            action_items=["Ny belysning", "Röjning av buskar"],
            responsibles=[Responsible("kommun", "Kommun", "Park"), Responsible("polis", "Polis")],
            status="Pågående",
        )
    ]
    assert plan.focus_areas == [
        FocusAreaData(
            "Trygg stadskärna",
            "Centrum ska vara tryggt.",
            "",
            [ActivityData("Belysning", plan.measures)],
        )
    ]


def test_docx_errors_name_table_and_row():
    def table(document):
        t = document.add_table(rows=3, cols=4)
        for cell, text in zip(t.rows[0].cells, COLUMNS, strict=True):
            cell.text = text
        merged = t.rows[1].cells[2].merge(t.rows[1].cells[3])
        t.rows[1].cells[0].text = "Rån"
        t.rows[1].cells[1].text = "Vakter"
        merged.text = "Polis"
        t.rows[2].cells[0].text = "Stöld"
        t.rows[2].cells[2].text = "Polis"

    with pytest.raises(ParseError) as raised:
        parse_plan_docx(build_docx(table))
    assert [m for _, m in raised.value.problems] == [
        "Tabell 1, rad 2: raden har 3 kolumner, väntade 4 (Utmaning, Åtgärd, Ansvarig, Status).",
        "Tabell 1, rad 3: raden saknar Åtgärd.",
    ]


def test_docx_misplaced_goal_names_the_paragraph():
    def misplaced_goal(document):
        document.add_heading("Mål för aktiviteten", level=3)
        document.add_paragraph("Färre rån.")

    with pytest.raises(ParseError) as raised:
        parse_plan_docx(build_docx(misplaced_goal))
    ((line, message),) = raised.value.problems
    assert line == 7
    assert message.startswith("Stycke 7: ”Mål för aktiviteten” står på fel ställe")


def test_not_a_docx_file():
    with pytest.raises(ParseError, match="kunde inte läsas"):
        parse_plan_docx(io.BytesIO(b"not a zip file"))


def test_write_without_target_returns_stream():
    plan = PlanDocument(
        "Plan för samverkan X",
        "",
        [
            FocusAreaData(
                "Område",
                "Syfte.",
                "Mål.",
                [
                    ActivityData(
                        "A",
                        [
                            MeasureData(
                                "Utmaning",
                                "Gör något",
                                ["punkt ett", "punkt två"],
                                [Responsible("other", "Skolan")],
                                "Slutförd",
                            )
                        ],
                    )
                ],
            )
        ],
    )
    stream = write_plan_docx(plan)
    again = parse_plan_docx(stream)
    (measure,) = again.measures
    assert measure.action == "Gör något\n• punkt ett\n• punkt två"
    assert measure.action_items == ["punkt ett", "punkt två"]
    assert measure.responsibles == [Responsible("other", "Skolan")]
    assert measure.status == "Slutförd"
    assert again.focus_areas[0].goal == "Mål."
