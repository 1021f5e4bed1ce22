"""Version numbers in the cache (core.versioning): a change gives a new number, and a key
lost from the cache (the file cache culls entries when full) never comes back as a number
used before, so nothing kept under an old number is read again."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from trygg.core import versioning

pytestmark = pytest.mark.django_db

KEY = "trygg:test:version"


def test_a_bump_changes_the_number():
    cache.delete(KEY)
    first = versioning.current(KEY)
    assert versioning.current(KEY) == first  # reading does not change it
    versioning.bump(KEY)
    assert versioning.current(KEY) != first


def test_a_lost_key_starts_from_a_number_not_used_before():
    cache.delete(KEY)
    seen = {versioning.current(KEY)}
    versioning.bump(KEY)
    seen.add(versioning.current(KEY))
    cache.delete(KEY)  # culled
    assert versioning.current(KEY) not in seen
    assert versioning.current(KEY) != 0
