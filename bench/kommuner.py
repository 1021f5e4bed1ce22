#!/usr/bin/env python
"""Probe: per-kommun work must not depend on the other kommuner's data.

    scripts/test-postgres .venv/bin/python bench/kommuner.py [--reports 300000] [--kommuner 290]

A national table: ``--reports`` reports spread over ``--kommuner`` organisations (bulk
COPY, not timed), one large kommun holding a fifth of them, one whose last report is two
years old and one new kommun without reports. Timed for each: the highest report id of the
organisation (what the counts' catch-up asks, situation.rollup.latest_report_id) with the
(organisation, id) index, and the same query with the index dropped, as before. Also a
recount of the small kommun. Run on PostgreSQL (the planner's choice is the question);
SQLite answers from its organisation index either way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300_000)
    parser.add_argument("--kommuner", type=int, default=290)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    os.environ.setdefault("TRYGG_ENV", "test")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    if os.environ.get("TRYGG_DATABASE_URL", "").startswith("postgres"):
        from run import _create_postgres_database

        _create_postgres_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from trygg.core.models import Organisation
    from trygg.incidents.models import IncidentCategory, IncidentReport
    from trygg.situation import bulk, rollup

    call_command("migrate", verbosity=0)
    organisations = [
        Organisation.objects.create(name=f"Kommun {n:03d}", kind="kommun")
        for n in range(args.kommuner)
    ]
    categories = {
        o.pk: IncidentCategory.objects.create(organisation=o, name="Klotter", group="miljo").pk
        for o in organisations
    }
    large, quiet, new = organisations[0], organisations[1], organisations[2]
    now = timezone.now()
    rng = random.Random(290)
    others = [o for o in organisations if o not in (quiet, new)]

    def rows():
        for n in range(args.reports):
            if n == 10:  # the quiet kommun's last report, two years ago, early in the table
                owner, at = quiet, now - dt.timedelta(days=730)
            else:
                owner = large if n % 5 == 0 else rng.choice(others)
                at = now - dt.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            yield (owner.pk, categories[owner.pk], at, 1, "ny", "", False, "", at, "", "", "")

    tick = time.perf_counter()
    columns = (
        "organisation_id",
        "category_id",
        "occurred_at",
        "assessment",
        "status",
        "review_note",
        "is_generated",
        "external_ref",
        "created_at",
        "address",
        "description",
        "client_key",
    )
    with django.db.transaction.atomic():
        bulk.insert(IncidentReport, columns, rows())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{args.reports:,} reports in {time.perf_counter() - tick:.0f} s".replace(",", " "))
    print(f"database: {connection.vendor}, load {os.getloadavg()[0]:.1f}")

    def timed(organisation) -> float:
        samples = []
        for _ in range(7):
            tick = time.perf_counter()
            rollup.latest_report_id(organisation.pk)
            samples.append(time.perf_counter() - tick)
        return 1000 * statistics.median(samples)

    with_index = {
        label: timed(o) for label, o in (("large", large), ("quiet", quiet), ("new", new))
    }
    table = IncidentReport._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX incidentreport_org_id")
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")
    without = {label: timed(o) for label, o in (("large", large), ("quiet", quiet), ("new", new))}
    print("| kommun | reports | MAX(id) with (organisation, id) index | without it |")
    print("|---|---:|---:|---:|")
    for label, organisation in (("large", large), ("quiet", quiet), ("new", new)):
        count = IncidentReport.objects.filter(organisation=organisation).count()
        print(
            f"| {label} | {count:,} | {with_index[label]:.2f} ms | {without[label]:.2f} ms |".replace(
                ",", " "
            )
        )
    tick = time.perf_counter()
    rollup.rebuild(organisations[5].pk)
    small = IncidentReport.objects.filter(organisation=organisations[5]).count()
    print(f"recount of a small kommun ({small} reports): {time.perf_counter() - tick:.2f} s")
    print(f"load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
