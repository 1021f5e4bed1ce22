#!/usr/bin/env python
"""Benchmark of a large statistics import: a generated Brå monthly file through the product's
import (stats.importers.run, what the upload's background task runs).

    .venv/bin/python bench/stats_import.py [--rows 50000] [--profile]

The file has the columns and hierarchy of Brå's monthly export (the verbatim excerpt in the
shared data's bra/ folder): one row per kommun (Nacka, Värmdö), crime category and month.
It is imported twice into a temporary SQLite database: once new (every row created), once
again (every row unchanged, the re-import case). Printed: rows per second of each stage and
the number of queries.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = [
    "År",
    "Månad",
    "Kvartal",
    "Periodtyp",
    "Periodetikett",
    "Periodnyckel",
    "Period_start",
    "Period_slut",
    "Preliminär",
    "Kommun",
    "Region_ID",
    "Brott",
    "Brott_ID",
    "Brottsnivå",
    "Förälder_ID",
    "Förälder",
    "Nivå1",
    "Nivå2",
    "Nivå3",
    "Nivå4",
    "Nivå5",
    "Antal",
    "Per100000",
    "Status_Antal",
    "Status_Per100000",
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"]


def brå_file(rows: int) -> bytes:
    """About ``rows`` rows: 2 kommuner × 120 months × as many categories as it takes."""
    kommuner = [("Nacka", 182), ("Värmdö", 120)]
    months = [(year, month) for year in range(2016, 2026) for month in range(1, 13)]
    categories = max(2, rows // (len(kommuner) * len(months)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    root = "Totalt antal brott"
    for kommun, region in kommuner:
        for year, month in months:
            last = (
                31
                if month == 12
                else (
                    __import__("datetime").date(year, month + 1, 1)
                    - __import__("datetime").timedelta(days=1)
                ).day
            )
            for number in range(categories):
                if number == 0:
                    name, code, level, parent, parent_name = root, 13192, 1, "", ""
                else:
                    name, code, level = f"Brottstyp {number}", 20000 + number, 2
                    parent, parent_name = "13192.0", root
                count = (number * 7 + month * 3 + year) % 250
                writer.writerow(
                    [
                        year,
                        f"{month}.0",
                        "",
                        "Månad",
                        f"{year}, {MONTHS[month - 1]}",
                        f"{year}{month:02d}",
                        f"{year}-{month:02d}-01",
                        f"{year}-{month:02d}-{last:02d}",
                        "False",
                        kommun,
                        region,
                        name,
                        code,
                        level,
                        parent,
                        parent_name,
                        root,
                        name if level == 2 else "",
                        "",
                        "",
                        "",
                        f"{count}.0",
                        f"{count * 3}.0",
                        "",
                        "",
                    ]
                )
    return out.getvalue().encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the first import")
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="trygg-stats-bench-")
    os.environ.setdefault("TRYGG_ENV", "test")
    os.environ["TRYGG_DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.core import personas
    from trygg.stats import importers, services
    from trygg.stats.choices import ImportKind

    call_command("migrate", verbosity=0)
    world = personas.build()
    nacka, user = world.organisations["nacka"], world.users["samordnare"]
    content = brå_file(args.rows)
    print(f"file: {len(content) / 1e6:.1f} MB", flush=True)

    def once(label: str, profile: bool = False) -> dict:
        batch = services.import_batch_create(
            actor=user,
            organisation=nacka,
            kind=ImportKind.BRA_MONTHLY,
            filename="bra.csv",
            content=content,
        )
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        tick = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            batch = importers.run(actor=user, batch=batch, content=content, options={})
        elapsed = time.perf_counter() - tick
        if profiler:
            import pstats

            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        if batch.status != "done":
            raise SystemExit(f"{label}: {batch.status} {batch.problems[:3]}")
        rows = batch.counts["rows"]
        result = {
            "label": label,
            "rows": rows,
            "seconds": elapsed,
            "rows_per_s": rows / elapsed,
            "queries": len(queries),
            "created": batch.counts["created"],
            "unchanged": batch.counts["unchanged"],
        }
        print(
            f"{label}: {rows} rows in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s, "
            f"{len(queries)} queries (created {result['created']}, "
            f"unchanged {result['unchanged']}), load {os.getloadavg()[0]:.1f}".replace(",", " "),
            flush=True,
        )
        return result

    try:
        once("new file", profile=args.profile)
        once("same file again")
    finally:
        connection.close()
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
