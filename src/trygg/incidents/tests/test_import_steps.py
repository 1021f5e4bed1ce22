"""The import of incident reports checks the whole file before it writes: the rows are
checked outside any transaction (other users can write meanwhile, also on SQLite) and
written in one short transaction, all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from trygg.core.models import AuditEntry, ImportBatch
from trygg.incidents import services
from trygg.incidents.models import IncidentReport
from trygg.incidents.tests.test_import_background import big_csv


def _import(world, data: bytes, **kwargs):
    return services.reports_import(
        actor=world.users["samordnare"],
        organisation=world.organisations["nacka"],
        data=data,
        filename="x.csv",
        **kwargs,
    )


@pytest.mark.django_db(transaction=True)
def test_the_rows_are_checked_outside_any_transaction(world, categories, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_CHUNK", 200)
    seen: list[bool] = []

    def progress(percent: int) -> None:
        seen.append(connection.in_atomic_block)
        # Nothing of the file is in the database while it is being checked.
        assert not IncidentReport.objects.exists()

    assert _import(world, big_csv(1000), progress=progress)["created"] == 1000
    assert seen and not any(seen)
    assert IncidentReport.objects.count() == 1000


@pytest.mark.django_db
def test_a_failure_while_checking_leaves_nothing(world, categories, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_CHUNK", 200)
    audits = AuditEntry.objects.count()

    def progress(percent: int) -> None:
        raise RuntimeError("the worker stops")

    with pytest.raises(RuntimeError):
        _import(world, big_csv(1000), progress=progress)
    assert not IncidentReport.objects.exists()
    assert not ImportBatch.objects.exists()
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_an_extern_id_repeated_in_a_later_chunk_refuses_the_file(world, categories, monkeypatch):
    """Rows 2–1201 are EST-1 … EST-1200; row 1202 repeats EST-3 (row 4), four chunks on."""
    monkeypatch.setattr(services, "IMPORT_CHUNK", 300)
    data = big_csv(1200)
    repeated = data.decode().splitlines()[3]
    assert repeated.startswith("EST-3;")
    data += (repeated + "\n").encode()
    with pytest.raises(ValidationError) as refused:
        _import(world, data)
    assert refused.value.messages == ["Rad 1202: extern_id ”EST-3” finns också på rad 4"]
    assert not IncidentReport.objects.exists()  # the chunks before it were rolled back
    assert not ImportBatch.objects.exists()
    # The same file without the repeated row is imported, and a second time changes nothing.
    assert _import(world, big_csv(1200))["created"] == 1200
    assert _import(world, big_csv(1200)) == {"rows": 1200, "created": 0, "unchanged": 1200}
    assert IncidentReport.objects.count() == 1200
