"""Filing, reviewing and reading incident reports: areas, personal data and blurring."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from trygg.core import services as core_services
from trygg.core.models import AuditEntry
from trygg.incidents import selectors, services
from trygg.incidents.choices import ReportStatus
from trygg.incidents.models import IncidentCategory, IncidentReport
from trygg.incidents.tests.conftest import when

pytestmark = pytest.mark.django_db

VALID_PNR = "811218-9876"  # passes the Luhn check
LUHN_FAILING = "8112189875"  # ten digits that fail it


def _form_data(cat, **overrides):
    moment = when(1, 22, 15)
    data = {
        "category": cat.pk,
        "date": moment.date().isoformat(),
        "time": "22:15",
        "place": "",
        "area": "",
        "address": "",
        "lat": "",
        "lon": "",
        "assessment": "2",
        "description": "Några sprejade på väggen vid centrum.",
    }
    data.update(overrides)
    return data


def test_it_creates_the_default_categories_once(world):
    nacka = world.organisations["nacka"]
    first = services.categories_ensure_defaults(nacka)
    second = services.categories_ensure_defaults(nacka)
    assert len(first) == 13 == len(second)
    names = {c.name for c in first}
    assert {"Skadegörelse", "Klotter", "Hot/våld mot personal", "Övrigt"} <= names
    assert {c.group for c in first} == {"ordning", "miljo", "person"}


def test_rapportor_files_a_report_with_the_form(world, categories, login):
    client = login("rapportor")
    response = client.post(
        reverse("incidents:report_create"),
        _form_data(categories["Klotter"], place=world.places["Älta centrum"].pk),
    )
    report = IncidentReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:report_detail", args=[report.pk])
    assert report.reporter == world.users["rapportor"]
    assert report.area == world.areas["Älta"]  # derived from the place
    assert report.status == ReportStatus.NY
    assert timezone.localtime(report.occurred_at).strftime("%H:%M") == "22:15"
    assert AuditEntry.objects.filter(object_id=str(report.pk), action="create").exists()


def test_the_form_refuses_a_description_holding_a_valid_personnummer(world, categories, login):
    client = login("rapportor")
    response = client.post(
        reverse("incidents:report_create"),
        _form_data(categories["Klotter"], description=f"Pojken med pnr {VALID_PNR} sprejade."),
    )
    assert response.status_code == 200
    assert not IncidentReport.objects.exists()
    content = response.content.decode()
    assert "personnummer" in content
    assert VALID_PNR not in content.split("<textarea")[0]  # the error masks the number


def test_the_form_accepts_a_ten_digit_number_that_fails_luhn(world, categories, login):
    client = login("rapportor")
    response = client.post(
        reverse("incidents:report_create"),
        _form_data(categories["Klotter"], description=f"Ärendenummer {LUHN_FAILING} hos polisen."),
    )
    assert response.status_code == 302
    assert IncidentReport.objects.get().description.endswith(f"{LUHN_FAILING} hos polisen.")


def test_the_form_warns_once_about_a_likely_name_and_files_after_confirmation(
    world, categories, login
):
    client = login("rapportor")
    data = _form_data(categories["Klotter"], description="Kalle Andersson sprejade på muren.")
    response = client.post(reverse("incidents:report_create"), data)
    assert response.status_code == 200
    assert not IncidentReport.objects.exists()
    content = response.content.decode()
    assert "Texten kan innehålla ett namn (K…)" in content
    assert 'name="checked_text"' in content

    response = client.post(reverse("incidents:report_create"), {**data, "checked_text": "on"})
    assert response.status_code == 302
    assert IncidentReport.objects.get().description == "Kalle Andersson sprejade på muren."


def test_the_form_refuses_a_personnummer_written_with_spaces_even_when_confirmed(
    world, categories, login
):
    client = login("rapportor")
    spaced = f"{VALID_PNR[:6]} {VALID_PNR[-4:]}"
    data = _form_data(categories["Klotter"], description=f"Pojken {spaced} sprejade.")
    response = client.post(reverse("incidents:report_create"), {**data, "checked_text": "on"})
    assert response.status_code == 200
    assert not IncidentReport.objects.exists()
    assert "personnummer" in response.content.decode()


@pytest.mark.parametrize(
    "text",
    [
        "Ring 070-123 45 67 om det händer igen",
        "Mejla anna.svensson@example.se",
        "19811218-9876 syntes",
    ],
)
def test_the_service_refuses_phone_numbers_and_email_addresses(world, categories, text):
    with pytest.raises(ValidationError) as error:
        services.report_create(
            actor=world.users["rapportor"],
            organisation=world.organisations["nacka"],
            category=categories["Övrigt"],
            occurred_at=when(),
            assessment=1,
            description=text,
        )
    assert "description" in error.value.message_dict
    assert not IncidentReport.objects.exists()


def test_the_form_shows_swedish_errors_next_to_the_fields(world, categories, login):
    client = login("rapportor")
    response = client.post(
        reverse("incidents:report_create"),
        _form_data(categories["Klotter"], date="2024-13-45", assessment="7", category="999999"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Fyll i ett giltigt datum" in content
    assert "999999 finns inte bland tillgängliga alternativ" in content  # a forged category id
    assert "7 finns inte bland tillgängliga alternativ" in content
    assert not IncidentReport.objects.exists()


def test_it_refuses_a_time_in_the_future(world, categories):
    with pytest.raises(ValidationError) as error:
        services.report_create(
            actor=world.users["rapportor"],
            organisation=world.organisations["nacka"],
            category=categories["Klotter"],
            occurred_at=timezone.now() + dt.timedelta(days=2),
            assessment=1,
        )
    assert "occurred_at" in error.value.message_dict


def test_a_time_window_past_midnight_ends_the_next_day(world, categories, login):
    client = login("rapportor")
    client.post(
        reverse("incidents:report_create"),
        _form_data(
            categories["Ungdomar som samlas/stök"],
            date=when(3).date().isoformat(),
            time="22:00",
            time_until="01:30",
        ),
    )
    report = IncidentReport.objects.get()
    assert report.occurred_until - report.occurred_at == dt.timedelta(hours=3, minutes=30)


def test_the_area_comes_from_a_clicked_point_inside_a_kommundel(world, categories):
    boo = world.areas["Boo"]
    core_services.area_update(
        actor=None,
        area=boo,
        geometry={
            "type": "Polygon",
            "coordinates": [
                [[18.20, 59.30], [18.35, 59.30], [18.35, 59.36], [18.20, 59.36], [18.20, 59.30]]
            ],
        },
    )
    report = services.report_create(
        actor=world.users["rapportor"],
        organisation=world.organisations["nacka"],
        category=categories["Nedskräpning"],
        occurred_at=when(),
        lat=59.3271,
        lon=18.2551,
        assessment=1,
    )
    assert report.area == boo
    outside = services.report_create(
        actor=world.users["rapportor"],
        organisation=world.organisations["nacka"],
        category=categories["Nedskräpning"],
        occurred_at=when(),
        lat=59.26,
        lon=18.18,
        assessment=1,
    )
    assert outside.area == world.areas["Nacka"]  # no other kommundel has a boundary


def test_it_refuses_a_category_place_or_area_of_another_organisation(world, categories):
    varmdo = world.organisations["varmdo"]
    other = services.categories_ensure_defaults(varmdo)[0]
    kwargs = dict(
        actor=world.users["samordnare"],
        organisation=world.organisations["nacka"],
        occurred_at=when(),
        assessment=1,
    )
    with pytest.raises(ValidationError) as error:
        services.report_create(category=other, **kwargs)
    assert "category" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.report_create(category=categories["Klotter"], area=varmdo.area, **kwargs)
    assert "area" in error.value.message_dict
    assert not IncidentReport.objects.exists()


def test_an_area_limited_member_may_not_report_outside_their_area(world, categories):
    with pytest.raises(PermissionDenied):
        services.report_create(
            actor=world.users["arbetsgrupp"],
            organisation=world.organisations["nacka"],
            category=categories["Klotter"],
            occurred_at=when(),
            place=world.places["Orminge centrum"],
            assessment=1,
        )


def test_review_moves_through_the_workflow_and_links_a_measure(world, reports):
    report = reports["fisksatra"]
    samordnare = world.users["samordnare"]
    services.report_review(
        actor=samordnare, report=report, status=ReportStatus.GRANSKAD, note="Sanering beställd."
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.GRANSKAD
    assert report.reviewed_by == samordnare and report.reviewed_at is not None
    services.report_review(actor=samordnare, report=report, status=ReportStatus.AVSLUTAD)
    report.refresh_from_db()
    assert report.status == ReportStatus.AVSLUTAD
    assert AuditEntry.objects.filter(object_id=str(report.pk), action="status").count() == 2


def test_review_refuses_a_forged_status_and_a_note_with_personal_data(world, reports):
    report = reports["fisksatra"]
    with pytest.raises(ValidationError):
        services.report_review(actor=world.users["samordnare"], report=report, status="raderad")
    with pytest.raises(ValidationError):
        services.report_review(
            actor=world.users["samordnare"],
            report=report,
            status="granskad",
            note="Ring 070-123 45 67",
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.NY


def test_the_rapportor_may_not_review(world, reports):
    with pytest.raises(PermissionDenied):
        services.report_review(
            actor=world.users["rapportor"], report=reports["fisksatra"], status="granskad"
        )


def test_the_police_partner_sees_nackas_reports_blurred(world, reports):
    visible = {r.pk: r for r in selectors.reports_visible(world.users["polis"])}
    assert set(visible) == {r.pk for r in reports.values()}
    boo = visible[reports["boo"].pk]
    assert boo.detail is False
    assert boo.shown_lat is None and boo.shown_lon is None
    assert boo.shown_address == "" and boo.shown_description == "" and boo.shown_place_name == ""
    local = timezone.localtime(boo.shown_occurred_at)
    assert (local.hour, local.minute) == (23, 0)
    assert boo.area == world.areas["Boo"]


def test_the_coordinator_sees_every_detail(world, reports):
    visible = {r.pk: r for r in selectors.reports_visible(world.users["samordnare"])}
    boo = visible[reports["boo"].pk]
    assert boo.detail is True
    assert (boo.shown_lat, boo.shown_lon) == (59.3271, 18.2551)
    assert timezone.localtime(boo.shown_occurred_at).minute == 50
    assert boo.shown_description.startswith("Trasig belysning")


def test_the_rapportor_sees_only_their_own_reports_in_full(world, reports):
    visible = list(selectors.reports_visible(world.users["rapportor"]))
    assert [r.pk for r in visible] == [reports["fisksatra"].pk]
    assert visible[0].detail is True and visible[0].shown_place_name == "Fisksätra centrum"


def test_the_alta_working_group_sees_alta_in_full_and_nothing_of_boo(world, reports):
    visible = {r.pk: r for r in selectors.reports_visible(world.users["arbetsgrupp"])}
    assert set(visible) == {reports["alta"].pk}
    assert visible[reports["alta"].pk].detail is True


def test_another_kommun_sees_nothing(world, reports):
    assert not selectors.reports_visible(world.users["utomstaende"]).exists()


def test_the_partners_export_and_page_hide_what_the_selector_hides(world, reports, login):
    # Enough reports that the partner's list is not withheld as a small count.
    for days in (5, 6, 7):
        services.report_create(
            actor=None,
            organisation=world.organisations["nacka"],
            category=reports["alta"].category,
            occurred_at=when(days),
            place=world.places["Älta centrum"],
            assessment=1,
        )
    client = login("polis")
    page = client.get(reverse("incidents:report_list")).content.decode()
    detail = client.get(
        reverse("incidents:report_detail", args=[reports["boo"].pk])
    ).content.decode()
    export = client.get(reverse("incidents:report_list") + "?format=csv").content.decode(
        "utf-8-sig"
    )
    api = client.get("/api/incidents/reports").json()["items"]
    for text in (page, detail, export, str(api)):
        assert "Orminge" not in text
        assert "Trasig belysning" not in text
        assert "59.3271" not in text and "59,3271" not in text
        assert "23:50" not in text
    assert "Boo" in page and "Boo" in export
    # The change history holds the exact values: partners may not read it.
    history = reverse("core:history", args=["incidents", "incidentreport", reports["boo"].pk])
    assert client.get(history).status_code == 404
    assert login("samordnare").get(history).status_code == 200


def test_categories_can_be_renamed_and_retired(world, categories, login):
    client = login("samordnare")
    category = categories["Övrigt"]
    response = client.post(
        reverse("incidents:category_edit", args=[category.pk]),
        {"organisation": category.organisation_id, "name": "Annat", "group": "ordning", "order": 5},
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.name, category.is_active) == ("Annat", False)
    with pytest.raises(ValidationError):
        services.report_create(
            actor=world.users["rapportor"],
            organisation=world.organisations["nacka"],
            category=category,
            occurred_at=when(),
            assessment=1,
        )


def test_a_duplicate_category_name_is_a_swedish_error(world, categories, login):
    response = login("samordnare").post(
        reverse("incidents:category_create"),
        {
            "organisation": world.organisations["nacka"].pk,
            "name": "Klotter",
            "group": "miljo",
            "order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Organisationen har redan en kategori med det namnet" in response.content.decode()
    nacka = world.organisations["nacka"]
    assert IncidentCategory.objects.filter(organisation=nacka, name="Klotter").count() == 1


def test_a_report_is_linked_to_a_measure_and_a_decision_in_review(world, reports, login):
    from trygg.forums import services as forum_services
    from trygg.forums.choices import ForumKind
    from trygg.plans import services as plan_services

    samordnare = world.users["samordnare"]
    nacka = world.organisations["nacka"]
    plan = plan_services.plan_create(actor=samordnare, organisation=nacka, title="Trygghetsplan")
    measure = plan_services.measure_create(actor=samordnare, plan=plan, title="Belysning i Boo")
    forum = forum_services.forum_create(
        actor=samordnare, organisation=nacka, name="Trygg i Boo", kind=list(ForumKind)[0]
    )
    meeting = forum_services.meeting_create(actor=samordnare, forum=forum, starts_at=when(1))
    decision = forum_services.decision_create(
        actor=samordnare,
        meeting=meeting,
        text="Gatuenheten byter armaturer.",
        due_date=timezone.localdate() + dt.timedelta(days=30),
        owner_organisation=nacka,
    )
    report = reports["boo"]
    response = login("samordnare").post(
        reverse("incidents:report_review", args=[report.pk]),
        {"status": "granskad", "note": "", "measure": measure.pk, "decision": decision.pk},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.measure, report.decision) == (measure, decision)
    page = login("samordnare").get(reverse("incidents:report_detail", args=[report.pk]))
    assert "Belysning i Boo" in page.content.decode()
    # A forged measure id from another organisation is an error next to the field.
    varmdo_plan = plan_services.plan_create(
        actor=None, organisation=world.organisations["varmdo"], title="Värmdös plan"
    )
    other = plan_services.measure_create(actor=None, plan=varmdo_plan, title="Annan")
    response = login("samordnare").post(
        reverse("incidents:report_review", args=[report.pk]),
        {"status": "avslutad", "note": "", "measure": other.pk, "decision": ""},
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == "granskad" and report.measure == measure


def test_the_form_map_holds_the_reporters_places_and_boundaries(world, categories, login):
    from trygg.core import services as core_services

    core_services.area_update(
        actor=None,
        area=world.areas["Älta"],
        geometry={
            "type": "Polygon",
            "coordinates": [[[18.15, 59.25], [18.20, 59.25], [18.20, 59.27], [18.15, 59.25]]],
        },
    )
    response = login("rapportor").get(reverse("incidents:report_create"))
    data = response.context["map_data"]
    assert {p["name"] for p in data["places"]} == set(world.places)
    assert [f["properties"]["name"] for f in data["areas"]["features"]] == ["Älta"]
    assert 'id="report-map-data"' in response.content.decode()


def test_the_category_list_filters_by_group(world, categories, login):
    response = login("samordnare").get(reverse("incidents:category_list") + "?group=person")
    names = [row["object"].name for row in response.context["rows"]]
    assert names == ["Hot/våld mot personal"]


def test_after_a_review_the_coordinator_goes_on_to_the_next_report(world, reports, login):
    client = login("samordnare")
    first = min(reports.values(), key=lambda r: (r.created_at, r.pk))
    page = client.get(reverse("incidents:report_detail", args=[first.pk])).content.decode()
    assert "Nästa rapport att granska" in page and "Spara och granska nästa" in page
    response = client.post(
        reverse("incidents:report_review", args=[first.pk]),
        {"status": ReportStatus.GRANSKAD, "note": "", "then": "next"},
    )
    following = IncidentReport.objects.filter(status=ReportStatus.NY).order_by("created_at", "pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:report_detail", args=[following[0].pk])
    # A reporter reviews nothing, so gets no such link.
    mine = reports["fisksatra"]
    assert (
        "Nästa rapport att granska"
        not in login("rapportor")
        .get(reverse("incidents:report_detail", args=[mine.pk]))
        .content.decode()
    )


def test_the_report_page_has_a_map_only_for_those_who_see_the_position(world, reports, login):
    url = reverse("incidents:report_detail", args=[reports["fisksatra"].pk])
    assert 'id="report-position-data"' in login("samordnare").get(url).content.decode()
    assert 'id="report-position-data"' not in login("polis").get(url).content.decode()


def test_text_search_and_place_filter_match_only_what_the_viewer_is_shown(world, reports, login):
    url = reverse("incidents:report_list")
    coordinator = login("samordnare")
    found = coordinator.get(url, {"q": "gångtunneln"}).content.decode()
    assert f"/handelser/{reports['fisksatra'].pk}/" in found
    assert f"/handelser/{reports['boo'].pk}/" not in found
    place = world.places["Fisksätra centrum"]
    by_place = coordinator.get(url, {"place": place.pk}).content.decode()
    assert f"/handelser/{reports['fisksatra'].pk}/" in by_place
    assert f"/handelser/{reports['alta'].pk}/" not in by_place
    # The partner sees descriptions withheld: searching them finds nothing.
    assert (
        f"/handelser/{reports['fisksatra'].pk}/"
        not in login("polis").get(url, {"q": "gångtunneln"}).content.decode()
    )
