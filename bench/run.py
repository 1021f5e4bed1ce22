#!/usr/bin/env python
"""Benchmark of the lägesbild at scale: one kommun, three years, a million incident reports.

    .venv/bin/python bench/run.py [--rows 1000000] [--database sqlite|postgres|both]
                                  [--repeat 3] [--clock wall|cpu]

For each database it loads the rows with the bulk service (the demo's generator, seeded),
then times what a user waits for: the lägesbild page and the weekly picture (rendered
through Django's test client, so the time is the server's), and the heatmap, trend and
top-places selectors. The same computations are then run with pandas and with DuckDB on
the same reports (read from the database once, load time not counted) and every selector
time is printed as a ratio to them.

SQLite runs in a temporary file. PostgreSQL runs in a throw-away cluster started by
scripts/test-postgres (skipped when PostgreSQL is not installed). Results are printed as a
Markdown table and kept as JSON in var/bench/. docs/benchmarks.md holds the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "var" / "bench"
GOALS = {"import": 60.0, "overview_page": 1.0, "weekly_page": 1.0, "selector_vs_duckdb_fair": 2.0}
SELECTORS = [
    ("heatmap", "heatmap, 12 months"),
    ("trend", "trend, 36 months"),
    ("top_places", "top places, 12 months"),
    ("weekly", "weekly picture"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement")
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="what every measurement times: wall clock, or the process's CPU time (steadier "
        "on a shared machine; DuckDB's CPU time counts all of its threads)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = []
    for database in databases:
        output = RESULTS / f"{database}-{args.rows}.json"
        output.unlink(missing_ok=True)
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            "--rows",
            str(args.rows),
            "--repeat",
            str(args.repeat),
            "--clock",
            args.clock,
        ]
        env = {
            **os.environ,
            "TRYGG_ENV": "test",
            "TRYGG_ALLOWED_HOSTS": "testserver",
            "TRYGG_BENCH_OUTPUT": str(output),
        }
        directory = None
        if database == "sqlite":
            directory = tempfile.mkdtemp(prefix="trygg-bench-")
            env["TRYGG_DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
        else:
            env.pop("TRYGG_DATABASE_URL", None)
            command = [str(ROOT / "scripts" / "test-postgres"), *command]
        print(f"== {database}: {args.rows:,} reports ==".replace(",", " "), flush=True)
        try:
            subprocess.run(command, check=True, env=env, cwd=ROOT)
        finally:
            if directory:
                shutil.rmtree(directory, ignore_errors=True)
        if output.exists():
            results.append(json.loads(output.read_text()))
        else:
            print(f"{database}: no results (not installed?)")
    if results:
        print()
        print(markdown(results))
        print()
        print(ratios(results))
    return 0


def ratios(results: list[dict]) -> str:
    """The selectors against DuckDB given the same precomputation, and the goal."""
    goal = GOALS["selector_vs_duckdb_fair"]
    lines = [
        f"Selector time / fair DuckDB time (goal: at most {goal:.0f}×, empty cache)",
        "| selector | " + " | ".join(r["database"] for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def cell(r, key, ratio_key):
        value = r.get(ratio_key)
        if value is None:
            return "–"
        mark = "ok" if value <= goal else "over"
        base = r.get(ratio_key.replace("_vs_", "_") + "_s")
        return (
            f"{value:.1f}× ({r[key + '_s'] * 1000:.1f} ms / {base * 1000:.1f} ms, {mark})"
            if base
            else f"{value:.1f}× ({mark})"
        )

    for key, label in SELECTORS:
        lines.append(
            f"| {label} | "
            + " | ".join(cell(r, key, f"{key}_vs_duckdb_fair") for r in results)
            + " |"
        )
    lines.append(
        "| weekly picture, against the same aggregates | "
        + " | ".join(cell(r, "weekly", "weekly_vs_duckdb_fair_all") for r in results)
        + " |"
    )
    return "\n".join(lines)


# The worker: runs inside one database, with Django set up.


def _create_postgres_database() -> None:
    """scripts/test-postgres starts an empty cluster: create the database the URL names."""
    from urllib.parse import parse_qs, urlparse

    import psycopg

    url = urlparse(os.environ["TRYGG_DATABASE_URL"])
    query = parse_qs(url.query)
    name = url.path.lstrip("/")
    with psycopg.connect(
        dbname="postgres",
        user=url.username or "postgres",
        host=query.get("host", [url.hostname])[0],
        port=query.get("port", [url.port or 5432])[0],
        autocommit=True,
    ) as connection:
        exists = connection.execute(
            "select 1 from pg_database where datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'create database "{name}"')


def worker(args) -> int:
    global CLOCK
    CLOCK = CLOCKS[args.clock]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    sys.path.insert(0, str(ROOT / "src"))
    if os.environ.get("TRYGG_DATABASE_URL", "").startswith("postgres"):
        _create_postgres_database()
    import django

    django.setup()
    import datetime as dt

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from trygg.core import personas
    from trygg.core.models import Place
    from trygg.incidents.models import IncidentCategory, IncidentReport
    from trygg.incidents.services import categories_ensure_defaults
    from trygg.situation import selectors, services
    from trygg.situation.generator import ReportGenerator, nacka_bursts
    from trygg.situation.models import IncidentCount

    result: dict = {
        "database": connection.vendor,
        "database_version": _database_version(connection),
        "rows": args.rows,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_before": os.getloadavg()[0],
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "clock": args.clock,
    }
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    world = personas.build()
    nacka = world.organisations["nacka"]
    categories_ensure_defaults(nacka)
    now = timezone.now()
    generator = ReportGenerator(
        organisation=nacka,
        categories={c.name: c for c in IncidentCategory.objects.filter(organisation=nacka)},
        areas=[world.areas[name] for name in world.areas if name != "Nacka"],
        places=list(Place.objects.filter(organisation=nacka).select_related("area")),
        seed=2024,
    )
    tick = time.perf_counter()
    reports = list(
        generator.reports(
            start=now - dt.timedelta(days=3 * 365),
            end=now,
            count=args.rows,
            bursts=nacka_bursts(selectors.last_complete_week()),
            now=now,
        )
    )
    result["generate_s"] = time.perf_counter() - tick
    tick = time.perf_counter()
    counts = services.generated_reports_create(
        actor=None, organisation=nacka, reports=reports, description="Benchmark"
    )
    result["import_s"] = time.perf_counter() - tick
    result["reports"] = counts["created"]
    result["count_rows"] = IncidentCount.objects.count()
    del reports
    _analyse(connection)
    print(f"  imported {counts['created']} reports in {result['import_s']:.1f} s", flush=True)

    client = Client()
    client.force_login(world.users["samordnare"])
    user = world.users["samordnare"]
    pages = {
        "overview_page": "/lagesbild/",
        "weekly_page": "/lagesbild/vecka/",
        "time_of_week_page": "/lagesbild/tid/",
        "places_page": "/lagesbild/platser/",
    }
    for key, url in pages.items():
        cold = _time(lambda url=url: _get(client, url))
        result[key + "_cold_s"] = cold
        result[key + "_s"] = _median(lambda url=url: _get(client, url), args.repeat)
        print(f"  {url}: {result[key + '_s'] * 1000:.0f} ms", flush=True)

    period = selectors.default_period()
    three_years = selectors.Period(period.end - dt.timedelta(days=3 * 365 - 1), period.end)
    week = selectors.last_complete_week()

    from django.core.cache import cache

    def fresh(span):
        # A new analysis per call and an empty cache: nothing read by the previous call is
        # reused, so the selector computes its aggregates (the pages above use the cache).
        cache.clear()
        return selectors.Analysis(user, nacka, span)

    measurements = {
        "heatmap": lambda: selectors.time_of_week(fresh(period), police=False),
        "trend": lambda: selectors.monthly_trend(fresh(three_years)),
        "top_places": lambda: selectors.top_places(fresh(period)),
        "weekly": lambda: selectors.weekly_picture(fresh(period), week),
    }
    for key, call in measurements.items():
        result[key + "_s"] = _median(call, args.repeat)

    # The same questions asked of the reports table directly (plain aggregates, local time
    # computed by the database): what the pre-computed counts are measured against.
    result.update(_plain(user, nacka, period, three_years))

    frame = _frame(IncidentReport, nacka, result)
    result.update(_baselines(frame, period, three_years, week, args.repeat))
    for key in measurements:
        for engine in ("pandas", "duckdb", "duckdb_fair", "duckdb_fair_all"):
            base = result.get(f"{key}_{engine}_s")
            if base:
                result[f"{key}_vs_{engine}"] = result[key + "_s"] / base
    result["total_s"] = time.perf_counter() - started
    result["load_after"] = os.getloadavg()[0]
    result["database_size_mb"] = _size(connection, settings)
    Path(os.environ["TRYGG_BENCH_OUTPUT"]).write_text(json.dumps(result, indent=2))
    print(markdown([result]), flush=True)
    print(ratios([result]), flush=True)
    return 0


def _plain(user, organisation, period, three_years) -> dict:
    from zoneinfo import ZoneInfo

    from django.db.models import Count
    from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncMonth

    from trygg.incidents.models import IncidentReport

    local = ZoneInfo("Europe/Stockholm")
    reports = IncidentReport.objects.restrict(user, "view").filter(organisation=organisation)
    start, end = period.bounds()
    all_start, all_end = three_years.bounds()
    year = reports.filter(occurred_at__gte=start, occurred_at__lt=end).order_by()

    def heatmap():
        return list(
            year.annotate(
                d=ExtractIsoWeekDay("occurred_at", tzinfo=local),
                h=ExtractHour("occurred_at", tzinfo=local),
            )
            .values_list("d", "h")
            .annotate(n=Count("pk"))
        )

    def trend():
        return list(
            reports.filter(occurred_at__gte=all_start, occurred_at__lt=all_end)
            .order_by()
            .annotate(m=TruncMonth("occurred_at", tzinfo=local))
            .values_list("m", "category__group")
            .annotate(n=Count("pk"))
        )

    def top_places():
        return list(
            year.exclude(place=None)
            .values_list("place_id")
            .annotate(n=Count("pk"))
            .order_by("-n")[:10]
        )

    return {
        "heatmap_plain_s": _time(heatmap),
        "trend_plain_s": _time(trend),
        "top_places_plain_s": _time(top_places),
    }


def _get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code}")
    return response


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
CLOCK = CLOCKS["wall"]


def _time(call) -> float:
    tick = CLOCK()
    call()
    return CLOCK() - tick


def _median(call, repeat: int) -> float:
    return statistics.median(_time(call) for _ in range(repeat))


def _database_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        return cursor.fetchone()[0]


def _analyse(connection) -> None:
    """Fresh planner statistics after the bulk load, as autovacuum / ANALYZE would give.
    On PostgreSQL autovacuum also vacuums a table after many inserts, which marks its pages
    all-visible, so that the covering indexes are read without visiting the table: the
    state the selectors meet a minute after an import (VACUUM here, at once)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _size(connection, settings) -> float:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            path = Path(settings.DATABASES["default"]["NAME"])
            return round(sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6, 1)
        cursor.execute("select pg_database_size(current_database())")
        return round(cursor.fetchone()[0] / 1e6, 1)


def _frame(model, organisation, result):
    """The reports as a pandas DataFrame (read once; the time is reported, not compared)."""
    import pandas as pd

    tick = time.perf_counter()
    rows = model.objects.filter(organisation=organisation).values_list(
        "occurred_at", "category_id", "category__group", "area_id", "place_id"
    )
    frame = pd.DataFrame.from_records(
        rows.iterator(chunk_size=50_000),
        columns=["occurred_at", "category_id", "group", "area_id", "place_id"],
    )
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], utc=True)
    result["frame_load_s"] = time.perf_counter() - tick
    return frame


def _baselines(frame, period, three_years, week, repeat: int) -> dict:
    """The same four computations in pandas and in DuckDB, on the raw reports."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import duckdb
    import pandas as pd

    local = ZoneInfo("Europe/Stockholm")

    def bounds(p):
        start = dt.datetime.combine(p.start, dt.time(), tzinfo=local)
        end = dt.datetime.combine(p.end + dt.timedelta(days=1), dt.time(), tzinfo=local)
        return pd.Timestamp(start), pd.Timestamp(end)

    year_start, year_end = bounds(period)
    all_start, all_end = bounds(three_years)
    week_start = pd.Timestamp(
        dt.datetime.combine(week - dt.timedelta(weeks=8), dt.time(), tzinfo=local)
    )
    week_end = pd.Timestamp(
        dt.datetime.combine(week + dt.timedelta(days=7), dt.time(), tzinfo=local)
    )

    def in_range(start, end):
        return frame[(frame.occurred_at >= start) & (frame.occurred_at < end)]

    def pandas_heatmap():
        local_time = in_range(year_start, year_end).occurred_at.dt.tz_convert(local)
        return local_time.groupby([local_time.dt.day_of_week, local_time.dt.hour]).size()

    def pandas_trend():
        part = in_range(all_start, all_end)
        month = part.occurred_at.dt.tz_convert(local).dt.strftime("%Y-%m")
        return part.groupby([month, part["group"]]).size()

    def pandas_top_places():
        part = in_range(year_start, year_end)
        return part.groupby("place_id").size().nlargest(10)

    def pandas_weekly():
        part = in_range(week_start, week_end)
        local_time = part.occurred_at.dt.tz_convert(local)
        monday = (local_time - pd.to_timedelta(local_time.dt.day_of_week, unit="D")).dt.date
        return part.groupby([monday, part["area_id"], part["category_id"]]).size()

    con = duckdb.connect()
    if CLOCK is time.process_time:
        # On the CPU clock DuckDB's time would count every thread it runs; one thread is what
        # the selectors use, so both are timed by the work of one core.
        con.execute("SET threads = 1")
    con.register("reports", frame)
    con.execute("SET TimeZone = 'Europe/Stockholm'")

    def sql(query, *params):
        # Times go in as ISO text and come out as dates and integers: no Python time zones.
        texts = [p.isoformat() for p in params]
        return lambda: con.execute(query, texts).fetchall()

    duck = {
        "heatmap": sql(
            "select isodow(occurred_at) d, hour(occurred_at) h, count(*) from reports "
            "where occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz group by d, h",
            year_start.to_pydatetime(),
            year_end.to_pydatetime(),
        ),
        "trend": sql(
            "select cast(date_trunc('month', occurred_at) as date) m, \"group\", count(*) "
            "from reports where occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz "
            'group by m, "group"',
            all_start.to_pydatetime(),
            all_end.to_pydatetime(),
        ),
        "top_places": sql(
            "select place_id, count(*) n from reports "
            "where occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz "
            "and place_id is not null group by place_id order by n desc limit 10",
            year_start.to_pydatetime(),
            year_end.to_pydatetime(),
        ),
        "weekly": sql(
            "select cast(date_trunc('week', occurred_at) as date) w, area_id, category_id, "
            "count(*) from reports "
            "where occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz "
            "group by w, area_id, category_id",
            week_start.to_pydatetime(),
            week_end.to_pydatetime(),
        ),
    }
    # The fair baseline: DuckDB given the same precomputation as the product's count tables,
    # a native table with the local wall-clock time (day, hour, ISO weekday, week, month)
    # stored at load, so that no query converts a time zone per row.
    tick = time.perf_counter()
    con.execute(
        'create table local_reports as select category_id, "group", area_id, place_id, '
        "timezone('Europe/Stockholm', occurred_at) as local_at from reports"
    )
    con.execute(
        'create table fair as select category_id, "group", area_id, place_id, '
        "cast(local_at as date) as day, hour(local_at) as hour, isodow(local_at) as dow, "
        "cast(date_trunc('week', local_at) as date) as week, "
        "cast(date_trunc('month', local_at) as date) as month from local_reports"
    )
    fair_load_s = time.perf_counter() - tick

    def fair(query, first, last):
        return lambda: con.execute(query, [first, last]).fetchall()

    fair_queries = {
        "heatmap": fair(
            "select dow, hour, count(*) from fair where day between ? and ? group by dow, hour",
            period.start,
            period.end,
        ),
        "trend": fair(
            'select month, "group", count(*) from fair where day between ? and ? '
            'group by month, "group"',
            three_years.start,
            three_years.end,
        ),
        "top_places": fair(
            "select place_id, count(*) n from fair where day between ? and ? "
            "and place_id is not null group by place_id order by n desc limit 10",
            period.start,
            period.end,
        ),
        "weekly": fair(
            "select week, area_id, category_id, count(*) from fair where day between ? and ? "
            "group by week, area_id, category_id",
            week - dt.timedelta(weeks=8),
            week + dt.timedelta(days=6),
        ),
    }
    # The weekly picture computes more than the week × area × category counts: the places of
    # the last 9 weeks, the hours of the five busiest places, their categories last week, the
    # quarter's top places and the week's heatmap (police events are not in DuckDB). The same
    # aggregates from the fair table, one query each, as the selector asks them.
    last_weeks_start = week - dt.timedelta(weeks=8)
    last_week_end = week + dt.timedelta(days=6)
    from trygg.situation.selectors import quarter_of

    quarter_start = quarter_of(week + dt.timedelta(days=3)).start  # as the selector's

    def weekly_all():
        rows = [fair_queries["weekly"]()]
        places = con.execute(
            "select place_id, week, count(*) from fair where day between ? and ? "
            "and place_id is not null group by place_id, week",
            [last_weeks_start, last_week_end],
        ).fetchall()
        last = sorted(
            ((n, p) for p, w, n in places if w == week), key=lambda item: (-item[0], item[1])
        )
        chosen = [p for _n, p in last[:5]] or [-1]
        marks = ", ".join("?" * len(chosen))
        rows.append(
            con.execute(
                f"select place_id, dow, hour, count(*) from fair where day between ? and ? "
                f"and place_id in ({marks}) group by place_id, dow, hour",
                [last_weeks_start, last_week_end, *chosen],
            ).fetchall()
        )
        rows.append(
            con.execute(
                f"select place_id, category_id, count(*) from fair where day between ? and ? "
                f"and place_id in ({marks}) group by place_id, category_id",
                [week, last_week_end, *chosen],
            ).fetchall()
        )
        rows.append(
            con.execute(
                "select place_id, category_id, count(*) from fair where day between ? and ? "
                "and place_id is not null group by place_id, category_id",
                [quarter_start, last_week_end],
            ).fetchall()
        )
        rows.append(
            con.execute(
                "select dow, hour, count(*) from fair where day between ? and ? group by dow, hour",
                [week, last_week_end],
            ).fetchall()
        )
        return rows

    panda = {
        "heatmap": pandas_heatmap,
        "trend": pandas_trend,
        "top_places": pandas_top_places,
        "weekly": pandas_weekly,
    }
    result = {"duckdb_fair_load_s": fair_load_s}
    for key in duck:
        duck[key]()  # warm up
        fair_queries[key]()
        result[f"{key}_duckdb_s"] = _median(duck[key], repeat)
        result[f"{key}_duckdb_fair_s"] = _median(fair_queries[key], repeat)
        result[f"{key}_pandas_s"] = _median(panda[key], repeat)
    weekly_all()
    result["weekly_duckdb_fair_all_s"] = _median(weekly_all, repeat)
    return result


def markdown(results: list[dict]) -> str:
    def ms(value):
        return "–" if value is None else f"{value * 1000:,.0f} ms".replace(",", " ")

    def ratio(value):
        return "–" if value is None else f"{value:.2f}×"

    lines = [
        "| measurement | " + " | ".join(r["database"] for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def add(label, key, fmt=ms):
        if all(r.get(key) is None for r in results):
            return
        lines.append(f"| {label} | " + " | ".join(fmt(r.get(key)) for r in results) + " |")

    add("clock of the measurements", "clock", str)
    add("reports loaded", "reports", lambda v: f"{v:,}".replace(",", " "))
    add("pre-computed count rows", "count_rows", lambda v: f"{v:,}".replace(",", " "))
    add("generate (Python, not in the import)", "generate_s", lambda v: f"{v:.1f} s")
    add("**import (bulk load)**", "import_s", lambda v: f"**{v:.1f} s**")
    for key, label in [
        ("overview_page", "**lägesbild page** (server)"),
        ("weekly_page", "**weekly picture page** (server)"),
        ("time_of_week_page", "time-of-week page (server)"),
        ("places_page", "areas and places page (server)"),
    ]:
        add(label, key + "_s")
        add(label.replace("**", "") + ", first request", key + "_cold_s")
    for key, label in [
        ("heatmap", "heatmap selector, 12 months"),
        ("trend", "trend selector, 36 months"),
        ("top_places", "top-places selector, 12 months"),
        ("weekly", "weekly picture selector"),
    ]:
        add(label, key + "_s")
        add(f"  {key}: plain aggregate on the reports", f"{key}_plain_s")
        add(f"  {key}: pandas", f"{key}_pandas_s")
        add(f"  {key}: DuckDB", f"{key}_duckdb_s")
        add(f"  {key}: selector / pandas", f"{key}_vs_pandas", ratio)
        add(f"  {key}: selector / DuckDB", f"{key}_vs_duckdb", ratio)
        add(f"  {key}: DuckDB, local time stored at load (fair)", f"{key}_duckdb_fair_s")
        add(f"  {key}: **selector / fair DuckDB**", f"{key}_vs_duckdb_fair", ratio)
        add(
            f"  {key}: DuckDB, the picture's own aggregates (fair, 5 queries)",
            f"{key}_duckdb_fair_all_s",
        )
        add(f"  {key}: selector / fair DuckDB, same aggregates", f"{key}_vs_duckdb_fair_all", ratio)
    add("read the reports into pandas (not compared)", "frame_load_s", lambda v: f"{v:.1f} s")
    add("database size", "database_size_mb", lambda v: f"{v:,.0f} MB".replace(",", " "))
    add("load average before / after", "load_before", lambda v: f"{v:.1f}")
    add("", "load_after", lambda v: f"{v:.1f}")
    add("whole run", "total_s", lambda v: f"{v:.0f} s")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
