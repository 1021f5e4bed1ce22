"""Fixtures of the situation tests: Nacka with generated reports and its lägesbild."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from trygg.situation import demo


@pytest.fixture
def generated(world):
    """A year of generated reports for Nacka up to now (about 1 500)."""
    return demo.generate_reports(world, now=timezone.now(), count=1500)


@pytest.fixture
def picture(world):
    """Nacka's lägesbild 2024 with its three problems (measures linked where plans exist)."""
    return demo.load_picture(world)[0]


@pytest.fixture
def last_week():
    from trygg.situation.selectors import last_complete_week

    return last_complete_week()


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)
