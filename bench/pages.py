#!/usr/bin/env python
"""Server time of every page a persona opens, as a ratio to the login page in the same run.

    make demo
    .venv/bin/python bench/pages.py [--repeat 5] [--persona samordnare ...] [--page NAME ...]

Against the demo database (``TRYGG_DATABASE_URL`` or var/trygg.sqlite3), in one process,
through Django's test client (no network, one connection): for every persona of the
permission matrices, every page without arguments that the persona may open (status 200)
and the detail page of the first plan, measure, forum, lägesbild and problem in its scope.
Each page is opened once to warm it (the caches a user's second view finds), then timed
``--repeat`` times; the median is printed beside the login page's median (anonymous GET of
the login form, the floor) as a ratio, with the number of SQL queries of one view. Goal:
every page at most 10× the floor. Results are kept as JSON in var/bench/pages.json.

``--clock cpu`` times the process's CPU time instead of the wall clock: on a machine shared
with other work the wall clock also counts the waits for a core, the CPU time (SQLite runs
in the process) much less so.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
os.environ.setdefault("TRYGG_ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("TRYGG_DEBUG", "0")  # as the server runs it (make serve)

PERSONAS = ["samordnare", "admin", "arbetsgrupp", "polis", "rapportor", "sspf", "utomstaende"]
GOAL = 10.0
# Pages that are not pages: a redirect or a file, a form's POST target, a login flow.
SKIP = {
    "health",
    "login",
    "logout",
    "set_language",
    "incidents:service_worker",
    "core:sso_start",
    "core:sso_callback",
    "reports:draft_save",
    "reports:version_save",
    "reports:job_create",
    "cases:emergency",
    "incidents:category_defaults",
    "core:two_factor_regenerate",
    "core:two_factor_disable",
}


def page_urls() -> list[tuple[str, str]]:
    """(url name, path) of every page without arguments, outside the API."""
    from django.urls import URLPattern, URLResolver, get_resolver, reverse

    found: list[tuple[str, str]] = []

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if name.startswith("api") or name in SKIP:
                    continue
                try:
                    found.append((name, reverse(name)))
                except Exception:  # noqa: BLE001 - takes arguments
                    continue

    walk(get_resolver().url_patterns, "")
    return found


def detail_urls() -> list[tuple[str, str]]:
    """The detail page of the first object of each kind the personas work with."""
    from django.urls import reverse

    from trygg.forums.models import Forum
    from trygg.plans.models import Measure, Plan
    from trygg.situation.models import Problem, SituationPicture

    urls = []
    for name, model in [
        ("plans:plan_detail", Plan),
        ("plans:measure_detail", Measure),
        ("forums:forum_detail", Forum),
        ("situation:picture_detail", SituationPicture),
        ("situation:problem_detail", Problem),
    ]:
        first = model.objects.order_by("pk").first()
        if first is None:
            continue
        try:
            urls.append((name, reverse(name, args=[first.pk])))
        except Exception:  # noqa: BLE001 - named differently
            try:
                urls.append((name, reverse(name, kwargs={"pk": first.pk})))
            except Exception:  # noqa: BLE001
                print(f"  (no URL for {name})")
    return urls


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def timed(
    client, path: str, repeat: int, clock=time.perf_counter, *, cold: bool = False
) -> tuple[int, float, int]:
    from django.core.cache import cache
    from django.db import connection

    response = client.get(path)  # warm: the second view's caches
    if response.status_code != 200:
        return response.status_code, 0.0, 0
    queries = []  # request_started empties connection.queries: count with a wrapper

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    times = []
    for _ in range(repeat):
        if cold:
            cache.clear()
        tick = clock()
        client.get(path)
        times.append(clock() - tick)
    return 200, statistics.median(times), len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--persona", action="append", help="only these personas")
    parser.add_argument("--page", action="append", help="only these URL names")
    parser.add_argument("--cold", action="store_true", help="empty the cache before each view")
    parser.add_argument(
        "--clock", choices=sorted(CLOCKS), default="wall", help="wall clock or CPU time"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    load_before = os.getloadavg()[0]
    anonymous = Client()
    clock = CLOCKS[args.clock]
    _status, floor, floor_queries = timed(
        anonymous, "/logga-in/", max(args.repeat, 9), clock, cold=args.cold
    )
    print(f"login page (floor): {1000 * floor:.1f} ms ({args.clock}), {floor_queries} queries")
    pages = page_urls() + detail_urls()
    if args.page:
        pages = [(n, p) for n, p in pages if n in args.page]
    rows = []
    for persona in args.persona or PERSONAS:
        client = Client()
        client.force_login(get_user_model().objects.get(username=persona))
        for name, path in pages:
            status, median, queries = timed(client, path, args.repeat, clock, cold=args.cold)
            if status != 200:
                continue
            ratio = median / floor
            rows.append(
                {
                    "persona": persona,
                    "page": name,
                    "path": path,
                    "ms": round(1000 * median, 1),
                    "ratio": round(ratio, 1),
                    "queries": queries,
                }
            )
            mark = "" if ratio <= GOAL else "  > 10×"
            print(
                f"{persona:12} {name:34} {1000 * median:8.1f} ms {ratio:6.1f}× {queries:4} q{mark}",
                flush=True,
            )
    over = [r for r in rows if r["ratio"] > GOAL]
    load_after = os.getloadavg()[0]
    worst = max(rows, key=lambda r: r["ratio"]) if rows else None
    print(
        f"\n{len(rows)} pages, {len(over)} over {GOAL:.0f}× the login page"
        + (f"; worst {worst['page']} ({worst['persona']}) {worst['ratio']}×" if worst else "")
        + f"; load {load_before:.1f} → {load_after:.1f}"
    )
    output = ROOT / "var" / "bench" / ("pages-cold.json" if args.cold else "pages.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "floor_ms": round(1000 * floor, 2),
                "cold": args.cold,
                "clock": args.clock,
                "load": [load_before, load_after],
                "rows": rows,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
