#!/usr/bin/env python
"""Load benchmark against the production server: personas logged in, a realistic mix of
pages with think time, then a saturation run per page.

    make serve PORT=8113 &            # gunicorn, preloaded workers (deploy/gunicorn.conf.py)
    .venv/bin/python bench/load.py --url http://127.0.0.1:8113 [--users 50] [--duration 60]
        [--think 5] [--saturate 10] [--concurrency 8]

Mix (each simulated user is one persona, logged in through the login form):
a säkerhetsstrateg (samordnare) on the lägesbild, the weekly picture, the plans and the
insatsregister; working-group members (arbetsgrupp) on meetings, measures and plans;
reporters (rapportor) filing incident reports through the form; the police (polis) on the
lägesbild; the SSPF coordinator (sspf) on the young people's cases and their statistics.
Each user waits a random think time (exponential, mean ``--think`` s) between requests.
Reported: p50/p95/p99 per page and errors.

Two-factor: sspf must sign in with a second factor. The demo gives such users the documented
demo TOTP secret (core.twofactor.DEMO_TOTP_SECRET, or ``--totp-secret``); the client computes
the code (RFC 6238, standard library) and posts it to the verification step. A code is
accepted once per 30-second step and user, so the simulated users of a two-factor persona
share one verified session (one login, then its cookies), as one person with several tabs.

Against PostgreSQL (``--label postgres``), on a throw-away cluster::

    scripts/test-postgres sh -c 'createdb -h "$PGHOST" -p "$PGPORT" -U postgres trygg_load; \
        TRYGG_DATABASE_URL=... python -m trygg migrate && python -m trygg load_demo && \
        TRYGG_DATABASE_URL=... gunicorn -c deploy/gunicorn.conf.py trygg.wsgi'

(docs/benchmarks.md gives the exact commands.)

Saturation: for each page, ``--concurrency`` clients with no think time for ``--saturate``
seconds; the requests per second are printed as a ratio to the static-file floor (a CSS
file through WhiteNoise) and to the login page. Only the standard library is used, so the
client's own cost is small and the same on every machine; it shares the machine with the
server, which the load average beside each figure shows.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import struct
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "trygg-demo-2026"
PAGES = {
    "samordnare": [
        ("lägesbild", "/lagesbild/", 4),
        ("veckobild", "/lagesbild/vecka/", 2),
        ("planer", "/planer/", 2),
        ("insatsregister", "/insatser/", 2),
        ("start", "/", 1),
    ],
    "arbetsgrupp": [
        ("samverkan", "/samverkan/", 3),
        ("insatsregister", "/insatser/", 3),
        ("planer", "/planer/", 2),
        ("start", "/", 1),
    ],
    "polis": [("lägesbild", "/lagesbild/", 3), ("veckobild", "/lagesbild/vecka/", 1)],
    "rapportor": [("rapportera", "REPORT", 3), ("rapporter", "/handelser/", 1)],
    "sspf": [("ärenden", "/ungdomar/", 3), ("ärendestatistik", "/ungdomar/statistik/", 1)],
}
# Three samordnare, four arbetsgrupp, two rapportörer, one polis and one sspf in eleven,
# interleaved so that a short run with few users has every persona.
PERSONAS = [
    "samordnare",
    "arbetsgrupp",
    "rapportor",
    "polis",
    "sspf",
    "samordnare",
    "arbetsgrupp",
    "arbetsgrupp",
    "rapportor",
    "samordnare",
    "arbetsgrupp",
]
TWO_FACTOR = {"sspf", "admin"}  # personas the demo gives the demo TOTP secret
DEMO_TOTP_SECRET = "TRYGGDEMOTRYGGDEMOTRYGGDEMOTRYGG"  # core.twofactor.DEMO_TOTP_SECRET
VERIFY = "/konto/tvastegsverifiering/verifiera/"


def totp(secret: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The RFC 6238 code of a base32 secret (HMAC-SHA1, 30-second steps, 6 digits), as an
    authenticator app shows it."""
    key = base64.b32decode(secret.upper(), casefold=True)
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**digits:0{digits}d}"


STATIC = "/static/core/trygg.css"


class Session:
    """One logged-in user: a keep-alive connection and its cookies."""

    def __init__(self, base: str) -> None:
        url = urlparse(base)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {"Host": f"{self.host}:{self.port}", "Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def csrf(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match[1] if match else self.cookies.get("csrftoken", "")

    def login(self, username: str, secret: str = DEMO_TOTP_SECRET) -> None:
        """Sign in through the login form, and for a two-factor persona through the
        verification step with the code of the current 30-second step."""
        status, html = self.request("GET", "/logga-in/")
        token = self.csrf(html)
        status, _ = self.request(
            "POST",
            "/logga-in/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        )
        if status != 302:
            raise RuntimeError(f"login {username}: {status}")
        if username not in TWO_FACTOR:
            return
        status, html = self.request("GET", VERIFY)
        if status != 200:
            raise RuntimeError(f"two-factor {username}: {status}")
        body = {"csrfmiddlewaretoken": self.csrf(html), "code": totp(secret)}
        status, _ = self.request("POST", VERIFY, body)
        if status != 302:  # a replayed step: wait for the next code once
            time.sleep(30 - time.time() % 30 + 1)
            body["code"] = totp(secret)
            status, _ = self.request("POST", VERIFY, body)
        if status != 302:
            raise RuntimeError(f"two-factor {username}: {status}")

    def share(self, other: Session) -> None:
        """Use another session's (verified) login."""
        self.cookies = dict(other.cookies)

    def file_report(self) -> int:
        """GET the report form and POST a report with its first category."""
        status, html = self.request("GET", "/handelser/ny/")
        if status != 200:
            return status
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
        category = re.search(r'name="category"[^>]*>.*?<option value="(\d+)"', html, re.S)
        day = time.strftime("%Y-%m-%d")
        fields.update(
            {
                "csrfmiddlewaretoken": self.csrf(html),
                "category": category[1] if category else "",
                "date": day,
                "time": "08:15",
                "assessment": "1",
                "description": "Nedskräpning vid entrén.",
            }
        )
        status, _ = self.request("POST", "/handelser/ny/", fields)
        return 200 if status == 302 else status


class Logins:
    """Signs the simulated users in: each its own login, except for two-factor personas,
    whose users share one verified session per persona (a code works once per step)."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.lock = threading.Lock()
        self.verified: dict[str, Session] = {}

    def login(self, session: Session, persona: str) -> None:
        if persona not in TWO_FACTOR:
            session.login(persona, self.secret)
            return
        with self.lock:
            if persona not in self.verified:
                first = Session(f"http://{session.host}:{session.port}")
                first.login(persona, self.secret)
                self.verified[persona] = first
            session.share(self.verified[persona])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def mixed(base: str, users: int, duration: float, think: float, secret: str) -> dict:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop = time.monotonic() + duration
    logged_in = threading.Barrier(users + 1)
    logins = Logins(secret)

    def user(number: int) -> None:
        persona = PERSONAS[number % len(PERSONAS)]
        session = Session(base)
        rng = random.Random(number)
        try:
            logins.login(session, persona)
        except Exception:  # noqa: BLE001 - counted
            with lock:
                errors["login"] += 1
        logged_in.wait()
        choices = PAGES[persona]
        weights = [w for _n, _p, w in choices]
        time.sleep(rng.uniform(0, think))  # users do not all start at once
        while time.monotonic() < stop:
            name, path, _w = rng.choices(choices, weights)[0]
            tick = time.perf_counter()
            try:
                if path == "REPORT":
                    status = session.file_report()
                else:
                    status, _ = session.request("GET", path)
            except Exception:  # noqa: BLE001 - counted as an error
                status = 0
            elapsed = time.perf_counter() - tick
            with lock:
                timings[name].append(elapsed)
                if status != 200:
                    errors[name] += 1
            time.sleep(rng.expovariate(1 / think) if think else 0)

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    logged_in.wait()
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    stop = started + duration
    for thread in threads:
        thread.join(duration + 120)
    every = [t for values in timings.values() for t in values]
    return {
        "users": users,
        "duration_s": duration,
        "think_s": think,
        "requests": len(every),
        "errors": sum(errors.values()),
        "errors_by_page": dict(errors),
        "p50_ms": 1000 * percentile(every, 0.5),
        "p95_ms": 1000 * percentile(every, 0.95),
        "p99_ms": 1000 * percentile(every, 0.99),
        "pages": {
            name: {
                "n": len(values),
                "p50_ms": 1000 * percentile(values, 0.5),
                "p95_ms": 1000 * percentile(values, 0.95),
                "p99_ms": 1000 * percentile(values, 0.99),
            }
            for name, values in sorted(timings.items())
        },
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }


def saturate(base: str, path: str, persona: str | None, seconds: float, clients: int) -> dict:
    sessions = []
    for _ in range(clients):
        session = Session(base)
        if persona:
            session.login(persona)
        sessions.append(session)
    counts = [0] * clients
    failures = [0] * clients
    stop = time.monotonic() + seconds

    def run(index: int) -> None:
        session = sessions[index]
        while time.monotonic() < stop:
            try:
                status, _ = session.request("GET", path)
            except Exception:  # noqa: BLE001 - counted
                status = 0
            counts[index] += 1
            failures[index] += status != 200

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"rps": sum(counts) / elapsed, "errors": sum(failures), "requests": sum(counts)}


SATURATION_PAGES = [
    ("static file", STATIC, None),
    ("login page", "/logga-in/", None),
    ("health", "/health/", None),
    ("start", "/", "samordnare"),
    ("lägesbild", "/lagesbild/", "samordnare"),
    ("veckobild", "/lagesbild/vecka/", "samordnare"),
    ("planer", "/planer/", "samordnare"),
    ("insatsregister", "/insatser/", "samordnare"),
    ("samverkan", "/samverkan/", "arbetsgrupp"),
    ("händelser", "/handelser/", "samordnare"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--think", type=float, default=5)
    parser.add_argument("--saturate", type=float, default=10, help="seconds per page (0: skip)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--label", default="", help="e.g. sqlite or postgres, for the output")
    parser.add_argument(
        "--totp-secret",
        default=os.environ.get("TRYGG_DEMO_TOTP_SECRET", DEMO_TOTP_SECRET),
        help="base32 TOTP secret of the two-factor personas (default: the demo's)",
    )
    args = parser.parse_args()
    result: dict = {"url": args.url, "label": args.label, "cores": os.cpu_count()}
    if args.users:
        print(f"== {args.users} users, think {args.think} s, {args.duration:.0f} s ==", flush=True)
        result["mixed"] = mixed(args.url, args.users, args.duration, args.think, args.totp_secret)
        m = result["mixed"]
        print(
            f"requests {m['requests']}, errors {m['errors']}, p50 {m['p50_ms']:.0f} ms, "
            f"p95 {m['p95_ms']:.0f} ms, p99 {m['p99_ms']:.0f} ms "
            f"(load {m['load_before']:.1f} → {m['load_after']:.1f})"
        )
        for name, page in m["pages"].items():
            print(
                f"  {name:15} n={page['n']:4}  p50 {page['p50_ms']:6.0f}  "
                f"p95 {page['p95_ms']:6.0f}  p99 {page['p99_ms']:6.0f} ms"
            )
    if args.saturate:
        print(f"== saturation: {args.concurrency} clients, {args.saturate:.0f} s per page ==")
        rows = {}
        for name, path, persona in SATURATION_PAGES:
            load = os.getloadavg()[0]
            rows[name] = {**saturate(args.url, path, persona, args.saturate, args.concurrency)}
            rows[name]["load"] = load
        floor = rows["static file"]["rps"]
        login = rows["login page"]["rps"]
        for name, row in rows.items():
            row["vs_static"] = floor / row["rps"] if row["rps"] else float("inf")
            row["vs_login"] = login / row["rps"] if row["rps"] else float("inf")
            print(
                f"  {name:15} {row['rps']:7.1f} req/s  {row['vs_static']:6.1f}× static  "
                f"{row['vs_login']:5.1f}× login  errors {row['errors']}  load {row['load']:.1f}"
            )
        result["saturation"] = rows
    output = ROOT / "var" / "bench" / f"load-{args.label or 'run'}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
