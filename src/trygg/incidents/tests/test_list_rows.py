"""The report and police event lists write their rows themselves (tables.ValuesTable.rows):
the same cells as core's table_cells tag, and the partner's order by the blurred time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context
from django.urls import reverse
from django.utils import timezone

from trygg.core.templatetags.trygg import table_cells
from trygg.incidents import selectors, services
from trygg.incidents.filters import ReportFilter
from trygg.incidents.tables import ReportTable
from trygg.incidents.tests.conftest import when

pytestmark = pytest.mark.django_db


def _with_tricky_values(world, reports):
    """A report whose values need escaping, without an area; enough reports that the
    partner's list is not withheld as a small count."""
    for days, address in ((2, 'Storgatan 1 <b> & "hörnet"'), (6, ""), (7, "")):
        services.report_create(
            actor=None,
            organisation=world.organisations["nacka"],
            category=reports["boo"].category,
            occurred_at=when(days, 9, 5),
            address=address,
            assessment=3,
        )


@pytest.mark.parametrize("persona", ["samordnare", "polis"])
def test_a_rows_cells_are_what_the_core_tag_writes(world, reports, persona):
    _with_tricky_values(world, reports)
    user = world.users[persona]
    table = ReportTable()
    queryset = ReportFilter(None, user=user).filter_queryset(selectors.report_list(user))
    table.source = queryset.order_by("-shown_occurred_at", "pk")
    rows = table.rows(table.source[:50])
    assert len(rows) == queryset.count() > 0
    link = ReportTable.columns[0].link
    for row in rows:
        cells = [
            {
                "column": column,
                "value": column.value(row["object"]),
                "link": column.link(row["object"]) if column.link else None,
            }
            for column in ReportTable.columns
        ]
        assert row["html"] == table_cells(Context({}), {"cells": cells})
        assert f'href="{link(row["object"])}"' in row["html"]
    if persona == "samordnare":
        assert any("&lt;b&gt; &amp; &quot;hörnet&quot;" in row["html"] for row in rows)


def test_the_partner_sees_the_list_in_order_of_the_blurred_hour_then_by_key(world, reports, login):
    nacka = world.organisations["nacka"]
    category = reports["alta"].category
    # Filed in this order: within the hour the later minute gets the higher key.
    made = [
        services.report_create(
            actor=None,
            organisation=nacka,
            category=category,
            occurred_at=when(5, 10, minute),
            assessment=1,
        )
        for minute in (1, 30, 59)
    ]
    # A time with seconds and microseconds is still within its hour.
    made[2].occurred_at += dt.timedelta(seconds=59, microseconds=999_999)
    made[2].save(update_fields=["occurred_at"])
    later = services.report_create(
        actor=None, organisation=nacka, category=category, occurred_at=when(5, 11, 0), assessment=1
    )
    mine = {later.pk, *(r.pk for r in made)}

    def listed(persona):
        rows = login(persona).get(reverse("incidents:report_list")).context["rows"]
        return [row["object"]["pk"] for row in rows if row["object"]["pk"] in mine]

    # The partner sees 10:00 for all three: they follow their keys, after the 11:00 report.
    assert listed("polis") == [later.pk, made[0].pk, made[1].pk, made[2].pk]
    # The coordinator sees the exact times, latest first.
    assert listed("samordnare") == [later.pk, made[2].pk, made[1].pk, made[0].pk]
    page = login("polis").get(reverse("incidents:report_list")).content.decode()
    hour = timezone.localtime(made[2].occurred_at).replace(minute=0)
    assert f'/{made[2].pk}/">{hour:%Y-%m-%d %H:%M}</a>' in page
    assert ":59</a>" not in page and ":30</a>" not in page


@pytest.mark.parametrize("persona", ["samordnare", "polis"])
@pytest.mark.parametrize("sort", ["-shown_occurred_at", "shown_occurred_at"])
def test_a_page_read_near_its_time_holds_the_keys_of_a_full_sort(world, reports, persona, sort):
    nacka = world.organisations["nacka"]
    category = reports["alta"].category
    # Several reports in the same hours, filed out of time order.
    for i in range(24):
        services.report_create(
            actor=None,
            organisation=nacka,
            category=category,
            occurred_at=when(6 + i % 3, 10 + i % 2, (37 * i) % 60),
            assessment=1,
        )
    user = world.users[persona]
    filters = ReportFilter(None, user=user)
    queryset = filters.filter_queryset(selectors.report_list(user)).order_by(sort, "pk")
    table = ReportTable()
    table.source, table.organisation_counts = queryset, filters.organisation_counts
    everything = list(queryset.values_list("pk", flat=True))
    assert len(everything) == 27
    for start in range(0, 30, 4):
        page = queryset[start : start + 4]
        assert table.page_keys(page) == everything[start : start + 4]
    # The window is used: a page's keys come from the reports near its time.
    assert selectors.shown_time_window(
        queryset, filters.organisation_counts, 4, descending=sort.startswith("-")
    )
