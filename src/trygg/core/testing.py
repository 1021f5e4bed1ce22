"""The permission-matrix harness every app's ``tests/test_permissions.py`` uses.

A matrix is a list of ``Row``: a request (method, URL, payload) and the status each persona
must get. ``assert_matrix`` replays every row as one persona, each inside a savepoint that is
rolled back, so every row starts from the same data and a write in one row cannot change
what the next row sees. Every request carries a valid CSRF token (the client enforces CSRF
as a browser would), so a refusal is the permission check's and never the CSRF check's.
While it replays, it checks that no GET writes domain data (architecture rule "reads do not
write"). ``assert_covers`` fails when a URL pattern or an API operation has no row, and when a
page that takes a form has no POST row: a new page or endpoint cannot slip past the matrix.

``forged`` turns a write into the same write aimed at another kommun's object (an id guessed
or copied from elsewhere): every persona must get 404 and nothing may change.

Personas (core/personas.py): admin, samordnare, arbetsgrupp (Älta only), polis (partner),
rapportor, sspf, utomstaende (Värmdö) and anonymous (not logged in).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

PERSONAS: tuple[str, ...] = (
    "anonymous",
    "admin",
    "samordnare",
    "arbetsgrupp",
    "polis",
    "rapportor",
    "sspf",
    "utomstaende",
)

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})

# What a GET may write: the session and login bookkeeping, the access log of sensitive reads
# (architecture rule 4) and the "last used" time of an API token or a calendar address.
BOOKKEEPING_TABLES = frozenset(
    {
        "django_session",
        "auth_user",  # last_login
        "axes_accessattempt",
        "axes_accesslog",
        "axes_accessfailurelog",
        "core_accesslogentry",
        "core_apitoken",  # last_used_at
        "forums_calendarfeed",  # last_used_at
    }
)

# Pages that still bring derived counts up to date when they are read. They are listed here
# one by one, by URL name, so that the list can only shrink: the incident services and the
# periodic task are to keep the counts current, and then this set is empty.
#
_WRITE_SQL = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    """One request and the status each persona must get for it.

    ``payload`` is form data for a page and JSON for ``/api/``; ``files`` are uploads sent
    with a form. ``check`` is called with (persona, response) after the status matched, for
    what a status cannot show (e.g. that a list holds none of another kommun's rows).
    """

    method: str
    url: str
    expected: Mapping[str, int]
    payload: Any = None
    files: Mapping[str, Any] | None = None
    check: Callable[[str, HttpResponse], None] | None = None
    note: str = ""

    @property
    def is_write(self) -> bool:
        return self.method.lower() in WRITE_METHODS

    @property
    def is_api(self) -> bool:
        return self.url.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.url}" + (f" ({self.note})" if self.note else "")


def everyone(code: int, *, anonymous: int = 302) -> dict[str, int]:
    """Every persona gets ``code``; anonymous gets the login redirect (API: pass 401)."""
    return {p: (anonymous if p == "anonymous" else code) for p in PERSONAS}


def only(allowed: Mapping[str, int], *, default: int = 404, anonymous: int = 302) -> dict[str, int]:
    """The personas in ``allowed`` get their code, everyone else ``default`` (404: the object
    is not in their scope), anonymous the login redirect (API: pass 401)."""
    result = {p: default for p in PERSONAS}
    result["anonymous"] = anonymous
    result.update(allowed)
    return result


def with_status(personas: Iterable[str], code: int) -> dict[str, int]:
    """{persona: code} for ``only()``: ``only(with_status(EDITORS, 302))``."""
    return {p: code for p in personas}


def get(url: str, expected: Mapping[str, int], **kwargs: Any) -> Row:
    return Row("get", url, expected, **kwargs)


def post(url: str, payload: Any, expected: Mapping[str, int], **kwargs: Any) -> Row:
    return Row("post", url, expected, payload=payload, **kwargs)


def forged(method: str, url: str, payload: Any = None, *, status: int = 404, **kwargs: Any) -> Row:
    """A request aimed at an object of an organisation no persona belongs to (a forged or
    copied id): every persona gets 404 (``status``: 422 when the id is in an API body, where
    it is refused as an invalid value), anonymous the login (page) or 401 (API)."""
    anonymous = 401 if url.startswith("/api/") else 302
    return Row(
        method,
        url,
        only({}, default=status, anonymous=anonymous),
        payload=payload,
        note=kwargs.pop("note", "forged id"),
        **kwargs,
    )


def foreign_organisation():
    """Tyresö kommun: an organisation with areas and a place but no persona, the owner of
    the objects that ``forged`` rows aim at."""
    from trygg.core import services
    from trygg.core.choices import AreaKind, OrganisationKind

    kommun = services.area_create(
        actor=None, organisation=None, kind=AreaKind.KOMMUN, name="Tyresö", code="0138"
    )
    organisation = services.organisation_create(
        actor=None, name="Tyresö kommun", kind=OrganisationKind.KOMMUN, area=kommun
    )
    area = services.area_create(
        actor=None,
        organisation=organisation,
        kind=AreaKind.KOMMUNDEL,
        name="Tyresö centrum",
        parent=kommun,
    )
    place = services.place_create(
        actor=None, organisation=organisation, area=area, name="Tyresö torg", lat=59.24, lon=18.23
    )
    return organisation, area, place


# Clients


def client_for(persona: str) -> Client:
    """A client logged in as the persona, enforcing CSRF and carrying a valid token."""
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        client.force_login(get_user_model().objects.get(username=persona))
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    client.defaults["HTTP_X_CSRFTOKEN"] = token
    return client


def send(client: Client, row: Row, *, csrf: bool = True) -> HttpResponse:
    """Send the row's request; ``csrf=False`` leaves the token out (to see it refused)."""
    method = row.method.lower()
    extra: dict[str, Any] = {}
    if not csrf:
        extra["HTTP_X_CSRFTOKEN"] = ""
    if method == "get":
        return client.get(row.url, row.payload or {}, **extra)
    if (row.is_api and not row.files) or method != "post":
        body = json.dumps(row.payload) if row.payload is not None else ""
        return getattr(client, method)(row.url, data=body, content_type="application/json", **extra)
    data = dict(row.payload or {})
    if row.files:
        data.update(row.files)
    for value in data.values():
        if hasattr(value, "seek"):
            value.seek(0)
    return client.post(row.url, data, **extra)


def _url_name(url: str) -> str:
    try:
        match = resolve(url.split("?")[0])
    except Resolver404:  # an unresolvable URL has no name to allow-list
        return ""
    return match.view_name


def writes_of(queries: Iterable[Mapping[str, Any]]) -> list[str]:
    """The tables that the captured SQL statements wrote to, bookkeeping left out."""
    tables = []
    for query in queries:
        found = _WRITE_SQL.match(query["sql"])
        if found and found.group(2).lower() not in BOOKKEEPING_TABLES:
            tables.append(found.group(2))
    return tables


def assert_matrix(rows: Iterable[Row], persona: str) -> None:
    """Replay every row as the persona and fail with every row whose status differs.

    Each row runs in a savepoint that is rolled back. A GET that writes domain data fails
    too: reads do not write.
    """
    client = client_for(persona)
    failures = []
    for row in rows:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                response = send(client, row)
            transaction.set_rollback(True)
        expected = row.expected[persona]
        if response.status_code != expected:
            failures.append(f"{persona} {row}: {response.status_code}, expected {expected}")
            continue
        if row.method.lower() == "get":
            written = writes_of(captured.captured_queries)
            if written:
                failures.append(f"{persona} {row}: a GET wrote to {sorted(set(written))}")
        if row.check is not None:
            try:
                row.check(persona, response)
            except AssertionError as exc:
                failures.append(f"{persona} {row}: {exc}")
    assert not failures, "\n".join(failures)


def assert_csrf_required(rows: Iterable[Row], persona: str = "samordnare") -> None:
    """Every write sent by a logged-in persona without the CSRF token is refused (403)."""
    client = client_for(persona)
    failures = []
    for row in rows:
        if not row.is_write:
            continue
        with transaction.atomic():
            response = send(client, row, csrf=False)
            transaction.set_rollback(True)
        if response.status_code != 403:
            failures.append(f"{row} without a CSRF token: {response.status_code}, expected 403")
    assert not failures, "\n".join(failures)


# Coverage


def _patterns(namespace: str) -> list[URLPattern]:
    resolver = get_resolver()
    _prefix, sub = resolver.namespace_dict[namespace]
    found: list[URLPattern] = []

    def walk(patterns: Iterable[Any]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            else:
                found.append(pattern)

    walk(sub.url_patterns)
    return found


@dataclass
class Coverage:
    """What rows reach: page names (by method) and API operations."""

    pages: dict[str, set[str]] = field(default_factory=dict)
    operations: set[tuple[str, str]] = field(default_factory=set)


def _api_operations(router: Any, prefix: str) -> set[tuple[str, str]]:
    return {
        (method.lower(), prefix.rstrip("/") + path)
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }


def _matches(template: str, url: str) -> bool:
    pattern = template.split("/")
    parts = url.split("?")[0].split("/")
    return len(pattern) == len(parts) and all(
        p.startswith("{") or p == q for p, q in zip(pattern, parts, strict=True)
    )


def assert_covers(
    rows: Iterable[Row],
    *,
    namespace: str | None = None,
    read_only: Iterable[str] = (),
    router: Any = None,
    api_prefix: str = "",
    exempt: Iterable[str] = (),
    exempt_api: Iterable[str] = (),
) -> None:
    """Fail when a URL pattern of ``namespace`` or an operation of ``router`` has no row.

    Every page needs a row; a page that is not in ``read_only`` also needs a write row (its
    form is posted in the matrix). ``exempt`` names pages, and ``exempt_api`` path prefixes of
    API operations, reached only another way, each with a reason in the caller.
    """
    rows = list(rows)
    read_only, exempt = set(read_only), set(exempt)
    problems = []
    if namespace is not None:
        reached: dict[str, set[str]] = {}
        for row in rows:
            if row.is_api:
                continue
            try:
                match = resolve(row.url.split("?")[0])
            except Resolver404:
                continue
            if match.namespace == namespace:
                reached.setdefault(match.url_name, set()).add(row.method.lower())
        names = {p.name for p in _patterns(namespace) if p.name} - exempt
        for name in sorted(names):
            methods = reached.get(name, set())
            if not methods:
                problems.append(f"page {namespace}:{name} has no row")
            elif name not in read_only and not methods & WRITE_METHODS:
                problems.append(
                    f"page {namespace}:{name} has no write row (add one, or list it as read-only)"
                )
        stale = sorted(read_only - names)
        if stale:
            problems.append(f"read_only names no page: {stale}")
    if router is not None:
        operations = _api_operations(router, api_prefix)
        api_rows = [r for r in rows if r.is_api]
        for method, template in sorted(operations):
            if template.startswith(tuple(exempt_api)):
                continue
            if not any(r.method.lower() == method and _matches(template, r.url) for r in api_rows):
                problems.append(f"API {method.upper()} {template} has no row")
    assert not problems, "\n".join(problems)


def api(row_expected: Mapping[str, int]) -> dict[str, int]:
    """The same expectations with 401 for anonymous (the API answers, it does not redirect)."""
    return {**row_expected, "anonymous": 401}


def rows_as(rows: Iterable[Row], **changes: Any) -> list[Row]:
    return [replace(row, **changes) for row in rows]


def form_payload(form: Any, **overrides: Any) -> dict[str, Any]:
    """The POST data a browser would send for the form as it is first shown (its initial
    values), with ``overrides``; a value of ``None`` leaves the field out."""
    from django import forms as django_forms

    data: dict[str, Any] = {}
    for name, field_ in form.fields.items():
        if field_.disabled:
            continue
        value = form[name].value()
        if isinstance(field_, django_forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = getattr(value, "pk", value)
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def empty_posts(rows: Iterable[Row], names: Iterable[str], *, invalid: int = 200) -> list[Row]:
    """For the form pages named (``namespace:name``), the same page posted empty: whoever may
    open the form gets it back with its errors (200) and nothing is written; whoever may not
    gets what the GET gave them (404, or the login). ``invalid``: the status of a refused
    form where a page answers 400."""
    wanted = set(names)
    posts = []
    for row in rows:
        if row.method != "get" or row.is_api or _url_name(row.url) not in wanted:
            continue
        posts.append(
            Row(
                "post",
                row.url.split("?")[0],
                {p: (invalid if code == 200 else code) for p, code in row.expected.items()},
                # One unknown field, so that ``request.POST or None`` binds the form.
                payload={"empty": "1"},
                note="empty form",
                check=_nothing_written,
            )
        )
    return posts


def _nothing_written(persona: str, response: HttpResponse) -> None:
    form = (getattr(response, "context", None) or {}).get("form")
    if response.status_code in (200, 400) and form is not None:
        assert form.errors, "an empty form was accepted"


# Reference data


def reference_data(*parts: str) -> Path:
    """A path in the public reference data, from the app's own setting
    (``TRYGG_REFERENCE_DATA``, settings.REFERENCE_DATA_DIR)."""
    return Path(settings.REFERENCE_DATA_DIR, *parts)


def needs_reference_data(*paths: Path) -> Any:
    """A mark for tests that read the reference data: skipped where it is missing, but a
    failure when ``TRYGG_REQUIRE_DATA=1`` (CI), so that a wrong path cannot pass as green."""
    import pytest

    missing = [str(p) for p in paths if not p.exists()]
    if missing and os.environ.get("TRYGG_REQUIRE_DATA") == "1":
        pytest.fail(
            f"reference data missing (TRYGG_REQUIRE_DATA=1): {', '.join(missing)}", pytrace=False
        )
    return pytest.mark.skipif(bool(missing), reason=f"reference data missing: {', '.join(missing)}")


# Query counts

QUERY_COUNTS = Path(__file__).resolve().parent.parent / "query_counts.json"


def assert_queries(key: str, response: HttpResponse, queries: Any, *, status: int = 200) -> None:
    """The page answered ``status`` with exactly the measured number of queries.

    The baselines are kept in ``src/trygg/query_counts.json`` (as NetBox's
    query_counts.json): a change that adds a query per row, or any query, fails here and
    the baseline is updated on purpose. ``TRYGG_RECORD_QUERY_COUNTS=1`` writes the measured
    count instead of comparing (review the diff before committing it).
    """
    assert response.status_code == status, f"{key}: {response.status_code}, expected {status}"
    measured = len(queries.captured_queries)
    baselines = json.loads(QUERY_COUNTS.read_text()) if QUERY_COUNTS.exists() else {}
    if os.environ.get("TRYGG_RECORD_QUERY_COUNTS") == "1":
        baselines[key] = measured
        QUERY_COUNTS.write_text(json.dumps(dict(sorted(baselines.items())), indent=2) + "\n")
        return
    assert key in baselines, f"no baseline for {key} in {QUERY_COUNTS.name}: measured {measured}"
    sql = "\n".join(q["sql"][:160] for q in queries.captured_queries)
    assert measured == baselines[key], (
        f"{key}: {measured} queries, the baseline is {baselines[key]}\n{sql}"
    )
