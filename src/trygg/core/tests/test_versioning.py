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


def test_saves_and_deletes_bump_but_a_sign_in_does_not():
    from django.contrib.auth import get_user_model

    from trygg.core.models import Organisation

    key = "trygg:test:watched"
    versioning.bump_on_change(key, [get_user_model(), Organisation])
    user = get_user_model().objects.create_user("versioning-test", password="x")
    before = versioning.current(key)
    user.last_login = user.date_joined
    user.save(update_fields=["last_login"])  # what every sign-in writes
    assert versioning.current(key) == before
    user.first_name = "Ny"
    user.save()
    renamed = versioning.current(key)
    assert renamed != before
    user.delete()
    assert versioning.current(key) != renamed
