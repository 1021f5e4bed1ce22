"""The house rules (docs/architecture.md) checked on the code itself.

- Outside core, nothing but a model's ``access_q`` reads a user's grants: views, forms,
  services, selectors and panels ask core.access (``may``, ``require``, ``organisations_for``).
- Every domain model has a restricted manager (``Model.objects.restrict(user, action)``).
- Every service that writes runs in one transaction and writes its audit entry.
- No view or API module writes through a model's manager or ``.save()``: writes go through
  services.

Each exception is listed here by name with its reason, so the lists can only shrink.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest
from django.apps import apps

SRC = Path(__file__).resolve().parents[2]
APPS = ["core", "plans", "forums", "budget", "incidents", "stats", "situation", "reports", "cases"]

GRANT_READ = re.compile(
    r"grants_for|unlimited_organisation_ids|\.organisation_ids\(|scope\w*\.grants\b"
)

# Every grant read outside core goes through core.access (require, may, organisations_for,
# organisation_ids_for, limited_area_ids); models' access_q rules are exempt above.
GRANT_READS_ALLOWED: set[str] = set()


def _sources():
    for app in APPS:
        for path in sorted((SRC / app).rglob("*.py")):
            relative = path.relative_to(SRC).as_posix()
            if "/tests/" in relative or "/migrations/" in relative:
                continue
            yield relative, path


def test_no_grant_reads_outside_core_and_the_models_access_rules():
    offenders = []
    for relative, path in _sources():
        if relative.startswith("core/") or relative.endswith("models.py"):
            continue
        if relative in GRANT_READS_ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if GRANT_READ.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "read grants through core.access:\n" + "\n".join(offenders)


MAX_LINES = 1000


def test_no_source_file_is_longer_than_a_thousand_lines():
    """A module that grows past this is split along its seams (tests and migrations aside)."""
    long = [
        f"{relative}: {count} lines"
        for relative, path in _sources()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert not long, "split these modules:\n" + "\n".join(long)


def test_the_grant_read_allow_list_names_only_files_that_still_need_it():
    for relative in GRANT_READS_ALLOWED:
        path = SRC / relative
        if path.exists():
            assert GRANT_READ.search(path.read_text(encoding="utf-8")), (
                f"{relative} no longer reads grants: take it off GRANT_READS_ALLOWED"
            )


# Models that are not read through restrict(), each with its reason.
UNRESTRICTED_MODELS = {
    # Derived bookkeeping of the lägesbild's counts, read only by its selectors.
    "situation.CountWatermark",
    "situation.StaleDay",
}
# Youth cases are read only through cases.selectors (case_list, case_get), which log every read;
# they have no restrict() on purpose, so that no generic page (history, search) can reach them
# (ADR 0013).
UNRESTRICTED_APPS = {"cases"}


def test_every_domain_model_has_a_restricted_manager():
    missing = []
    for app in APPS:
        try:
            config = apps.get_app_config(app)
        except LookupError:
            continue
        for model in config.get_models():
            label = f"{model._meta.app_label}.{model.__name__}"
            if (
                label in UNRESTRICTED_MODELS
                or model._meta.app_label in UNRESTRICTED_APPS
                or model._meta.auto_created
            ):
                continue
            if not hasattr(model._default_manager, "restrict"):
                missing.append(label)
    assert not missing, f"models without restrict(): {missing}"


WRITE_VERBS = re.compile(
    r"_(create|update|delete|set|link|unlink|add|remove|record|review|import|move|upload|"
    r"archive|revoke|close|reopen)$"
)


def _service_functions():
    import importlib

    for app in APPS:
        try:
            module = importlib.import_module(f"trygg.{app}.services")
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            # A services package re-exports the writes of its modules (incidents.services.police).
            own = function.__module__ == module.__name__ or function.__module__.startswith(
                module.__name__ + "."
            )
            if not own or name.startswith("_"):
                continue
            if WRITE_VERBS.search(name) and f"{app}.{name}" not in NOT_WRITES:
                yield f"{app}.{name}", function


# Names that read like writes but write nothing.
NOT_WRITES = {
    "core.invitation_link",  # builds an invitation's address for a mail or the command
}

# Services that write without an audit entry of their own, each with its reason.
NOT_AUDITED = {
    # The token's hash is what is stored; its creation and deletion are audited by the
    # account's own history in a later change (issue: audit API tokens).
    "core.api_token_create",
    "core.api_token_delete",
    # The batch is the import's own record (who, when, which file, its checksum); the
    # import it runs writes the audit entries of the data.
    "stats.import_batch_create",
    # The queue entry of a document being built in the background: bookkeeping of the build,
    # like an import batch.
    "reports.report_job_create",
}


# Services whose writes are all in one atomic step of their own, each with its reason.
ATOMIC_IN_A_WRITE_STEP = {
    # Reads and checks the whole file outside any transaction, so that SQLite's single write
    # lock is not held while it checks (ADR 0015); every row, the batch and the audit entry are
    # then written by _reports_write, one transaction: all or nothing.
    "incidents.reports_import",
}


def test_every_writing_service_runs_in_one_transaction():
    not_atomic = [
        name
        for name, function in _service_functions()
        if name not in ATOMIC_IN_A_WRITE_STEP
        and not hasattr(function, "__wrapped__")
        and "transaction.atomic" not in inspect.getsource(function)
    ]
    assert not not_atomic, f"services without transaction.atomic: {not_atomic}"


def test_every_writing_service_writes_an_audit_entry():
    import importlib

    missing = []
    for name, function in _service_functions():
        if name in NOT_AUDITED:
            continue
        source = inspect.getsource(inspect.unwrap(function))
        if "record_change(" in source or "record_" in source:
            continue
        # A service that hands the write to other services of its app (which audit).
        module = importlib.import_module(function.__module__)
        calls = {
            node.func.id
            for node in ast.walk(ast.parse(source.strip() if source.startswith(" ") else source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        if any(WRITE_VERBS.search(c) and hasattr(module, c) for c in calls):
            continue
        # A service that writes its entry through a helper of its module (cases' _audit).
        helpers = [
            getattr(module, c) for c in calls if inspect.isfunction(getattr(module, c, None))
        ]
        writes_entry = ("record_change(", "AuditEntry.objects.create(")
        if any(w in inspect.getsource(helper) for helper in helpers for w in writes_entry):
            continue
        missing.append(name)
    assert not missing, f"services that write no audit entry: {missing}"


WRITE_IN_VIEW = re.compile(
    r"\.objects\.[^\n]*\.(create|bulk_create|get_or_create|update_or_create|update|delete)\("
    r"|\.objects\.(create|bulk_create|get_or_create|update_or_create)\("
    r"|\.save\(\)|\.save\(update_fields"
)


@pytest.mark.parametrize("module", ["views.py", "api.py", "chain_views.py", "register.py"])
def test_no_view_or_api_module_writes_through_a_model(module):
    offenders = []
    for app in APPS:
        path = SRC / app / module
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITE_IN_VIEW.search(line) and "session" not in line:
                offenders.append(f"{app}/{module}:{number}: {line.strip()}")
    assert not offenders, "write through a service:\n" + "\n".join(offenders)


# The form flow: pages write through core.editing (form_page, form_post, submit), which shows a
# service's refusal on the form the same way everywhere. A few pages still hand-write the
# flow (imports with a report of their own); the number may only shrink.
HAND_WRITTEN_FORM_FLOW = re.compile(
    r"""request\.method\s*==\s*["']POST["']\s+and\s+\w+\.is_valid\(\)"""
)
MAX_HAND_WRITTEN_FORM_FLOWS = 10


def _hand_written_form_flows() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HAND_WRITTEN_FORM_FLOW.search(line):
                found.append(f"{relative}:{number}")
    return found


def test_form_pages_use_the_one_form_flow():
    flows = _hand_written_form_flows()
    assert len(flows) <= MAX_HAND_WRITTEN_FORM_FLOWS, (
        f'{len(flows)} hand-written `request.method == "POST" and form.is_valid()` flows '
        f"(at most {MAX_HAND_WRITTEN_FORM_FLOWS}); use trygg.core.editing (form_page, "
        "form_post or submit):\n" + "\n".join(flows)
    )
