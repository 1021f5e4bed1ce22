#!/usr/bin/env python
"""Benchmark of the incident-report import a kommun actually uses: a CSV through the
product's own command (``python -m trygg import_incident_reports``), every row validated,
checked for personal data and given its area.

    .venv/bin/python bench/import_reports.py [--rows 1000000] [--database sqlite|postgres|both]

For each database: a fresh database with the personas, a CSV of ``--rows`` generated
reports (the demo's generator, seeded; written before the clock starts), then the import
command in a subprocess, timed from outside, with its peak memory (ru_maxrss) and the SQL
statements it ran. A second run of the same file shows the idempotent path (every row
already there). Results are printed and kept as JSON in var/bench/.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "var" / "bench"
PYTHON = sys.executable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--step", choices=["prepare", "write"], help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        return step(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = []
    for database in databases:
        directory = Path(tempfile.mkdtemp(prefix="trygg-import-bench-"))
        env = {
            **os.environ,
            "TRYGG_ENV": "test",
            "TRYGG_VAR_DIR": str(directory),
            "DJANGO_SETTINGS_MODULE": "trygg.settings",
            "PYTHONPATH": str(ROOT / "src"),
        }
        wrap: list[str] = []
        if database == "sqlite":
            env["TRYGG_DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
        else:
            env.pop("TRYGG_DATABASE_URL", None)
            wrap = [str(ROOT / "scripts" / "test-postgres")]
        file = directory / "reports.csv"
        print(f"== {database}: {args.rows:,} rows ==".replace(",", " "), flush=True)
        try:
            script = [PYTHON, str(Path(__file__).resolve())]
            # Under scripts/test-postgres everything runs in one cluster's lifetime.
            commands = [
                [*script, "--step", "prepare", "--rows", str(args.rows), "--csv", str(file)],
                [*script, "--step", "write", "--rows", str(args.rows), "--csv", str(file)],
            ]
            if wrap:
                joined = " && ".join(" ".join(c) for c in commands)
                subprocess.run([*wrap, "sh", "-c", joined], check=True, env=env, cwd=ROOT)
            else:
                for command in commands:
                    subprocess.run(command, check=True, env=env, cwd=ROOT)
            output = directory / "result.json"
            if output.exists():
                result = json.loads(output.read_text())
                result["database"] = database
                results.append(result)
                (RESULTS / f"import-{database}-{args.rows}.json").write_text(
                    json.dumps(result, indent=2)
                )
        finally:
            shutil.rmtree(directory, ignore_errors=True)
    print()
    print(markdown(results))
    return 0


def _setup():
    if os.environ.get("TRYGG_DATABASE_URL", "").startswith("postgres"):
        sys.path.insert(0, str(ROOT / "bench"))
        from run import _create_postgres_database

        _create_postgres_database()
    import django

    django.setup()


def step(args) -> int:
    _setup()
    if args.step == "prepare":
        return prepare(args)
    return write(args)


def prepare(args) -> int:
    """A fresh database with the personas, and the CSV (not timed)."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from trygg.core import personas
    from trygg.core.models import Place
    from trygg.incidents.models import IncidentCategory
    from trygg.incidents.services import categories_ensure_defaults
    from trygg.situation.generator import ReportGenerator

    call_command("migrate", verbosity=0)
    world = personas.build()
    nacka = world.organisations["nacka"]
    categories_ensure_defaults(nacka)
    categories = {c.name: c for c in IncidentCategory.objects.filter(organisation=nacka)}
    names = {c.pk: c.name for c in categories.values()}
    places = list(Place.objects.filter(organisation=nacka).select_related("area"))
    place_names = {p.pk: p.name for p in places}
    areas = [world.areas[name] for name in world.areas if name != "Nacka"]
    area_names = {a.pk: a.name for a in areas}
    generator = ReportGenerator(
        organisation=nacka, categories=categories, areas=areas, places=places, seed=2024
    )
    now = timezone.now() - dt.timedelta(hours=1)
    local = timezone.get_current_timezone()
    with open(args.csv, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(
            [
                "extern_id",
                "kategori",
                "datum",
                "tid",
                "plats/adress",
                "område",
                "bedömning",
                "beskrivning",
            ]
        )
        for number, report in enumerate(
            generator.reports(start=now - dt.timedelta(days=3 * 365), end=now, count=args.rows),
            start=1,
        ):
            at = report.occurred_at.astimezone(local)
            place = place_names.get(report.place_id, "")
            area = "" if place else area_names.get(report.area_id, "")
            out.writerow(
                [
                    f"EST-{number}",
                    names[report.category_id],
                    at.strftime("%Y-%m-%d"),
                    at.strftime("%H:%M"),
                    place,
                    area,
                    report.assessment,
                    report.description,
                ]
            )
    print(f"  CSV: {args.csv.stat().st_size / 1e6:.0f} MB", flush=True)
    return 0


def write(args) -> int:
    """The import command twice (new rows, then all already there), in subprocesses."""
    from django.db import connection

    from trygg.incidents.models import IncidentReport
    from trygg.situation.models import DayCount

    env = {**os.environ}
    result: dict = {"rows": args.rows, "load_before": os.getloadavg()[0]}
    for run in ("first", "second"):
        command = [
            PYTHON,
            "-m",
            "trygg",
            "import_incident_reports",
            str(args.csv),
            "--organisation",
            "Nacka kommun",
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_before = server_cpu()
        tick = time.perf_counter()
        completed = subprocess.run(command, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - tick
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_after = server_cpu()
        if completed.returncode:
            print(completed.stdout, completed.stderr)
            raise SystemExit(completed.returncode)
        print(f"  {run}: {seconds:.1f} s  {completed.stdout.strip()}", flush=True)
        result[f"{run}_s"] = seconds
        result[f"{run}_rows_per_s"] = args.rows / seconds
        result[f"{run}_cpu_s"] = (after.ru_utime - before.ru_utime) + (
            after.ru_stime - before.ru_stime
        )
        result[f"{run}_peak_mb"] = after.ru_maxrss / 1024
        if server_before is not None and server_after is not None:
            result[f"{run}_server_cpu_s"] = server_after - server_before
            print(
                f"  {run}: PostgreSQL server CPU {server_after - server_before:.1f} s", flush=True
            )
        print(f"  {run}: command CPU {result[f'{run}_cpu_s']:.1f} s", flush=True)
    result.update(baselines(args.csv))
    result["first_vs_duckdb"] = result["first_s"] / result["duckdb_s"]
    result["first_vs_pandas"] = result["first_s"] / result["pandas_s"]
    print(
        f"  baseline: DuckDB {result['duckdb_s']:.1f} s (import {result['first_vs_duckdb']:.0f}×), "
        f"pandas {result['pandas_s']:.1f} s (import {result['first_vs_pandas']:.0f}×)",
        flush=True,
    )
    result["reports"] = IncidentReport.objects.count()
    result["counted"] = sum(DayCount.objects.values_list("count", flat=True))
    result["load_after"] = os.getloadavg()[0]
    result["database_version"] = connection.vendor
    Path(args.csv).parent.joinpath("result.json").write_text(json.dumps(result))
    return 0


def server_cpu() -> float | None:
    """CPU seconds used so far by the PostgreSQL server of TRYGG_DATABASE_URL (its
    postmaster and the backends it has reaped), or None (SQLite, or not readable). The
    import command's own CPU does not include the server's work (COPY, the indexes)."""
    from urllib.parse import parse_qs, urlparse

    url = os.environ.get("TRYGG_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    host = parse_qs(urlparse(url).query).get("host", [""])[0]
    try:
        pid = (Path(host) / "data" / "postmaster.pid").read_text().split()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # utime, stime, cutime, cstime: fields 14–17 of /proc/PID/stat (11–14 after the name).
    ticks = sum(int(v) for v in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def baselines(csv_path: Path) -> dict:
    """The same file read by DuckDB and by pandas: parse every row, combine date and time,
    count per category and day. The floor of reading the file, without validation, areas,
    personal-data checks or writing a database."""
    import duckdb
    import pandas as pd

    tick = time.perf_counter()
    duckdb.sql(
        "SELECT kategori, CAST(strptime(datum || ' ' || tid, '%Y-%m-%d %H:%M') AS DATE) AS day, "
        f"count(*) FROM read_csv('{csv_path}', delim=';', header=true, all_varchar=true) "
        "GROUP BY ALL"
    ).fetchall()
    duck = time.perf_counter() - tick
    tick = time.perf_counter()
    frame = pd.read_csv(csv_path, sep=";", dtype=str, keep_default_na=False)
    at = pd.to_datetime(frame["datum"] + " " + frame["tid"], format="%Y-%m-%d %H:%M")
    frame.groupby([frame["kategori"], at.dt.date]).size()
    panda = time.perf_counter() - tick
    return {"duckdb_s": duck, "pandas_s": panda}


def markdown(results: list[dict]) -> str:
    lines = [
        "| database | rows | first import | CPU (command / server) | rows/s | peak MB "
        "| second import (all there) | CPU (command / server) "
        "| DuckDB / pandas reading it | import ÷ DuckDB | reports | counted | load before/after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]

    def cpu(r: dict, run: str) -> str:
        server = r.get(f"{run}_server_cpu_s")
        return f"{r[f'{run}_cpu_s']:.1f} s" + (f" / {server:.1f} s" if server is not None else "")

    for r in results:
        lines.append(
            f"| {r['database']} | {r['rows']:,} | {r['first_s']:.1f} s | {cpu(r, 'first')} | "
            f"{r['first_rows_per_s']:,.0f} | {r['first_peak_mb']:.0f} | {r['second_s']:.1f} s | "
            f"{cpu(r, 'second')} | "
            f"{r['duckdb_s']:.1f} s / {r['pandas_s']:.1f} s | {r['first_vs_duckdb']:.0f}× | "
            f"{r['reports']:,} | {r['counted']:,} | "
            f"{r['load_before']:.1f} / {r['load_after']:.1f} |".replace(",", " ")
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
