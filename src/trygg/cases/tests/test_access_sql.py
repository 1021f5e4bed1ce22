"""Whether a person can use cases (the navigation and the two-factor requirement ask it on
every page) is answered in SQL: the same answer as the ORM's query, for everyone."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

from trygg.cases.access import can_use_cases
from trygg.cases.models import CaseParticipant, CaseRole
from trygg.core.access import forget_scope

pytestmark = pytest.mark.django_db


def _orm(user) -> bool:
    role = CaseRole.objects.filter(user_id=OuterRef("pk"))
    participant = CaseParticipant.objects.filter(user_id=OuterRef("pk"), removed_at__isnull=True)
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(Exists(role) | Exists(participant))
        .exists()
    )


def test_the_same_answer_as_the_orm_for_everyone(cases):
    answers = {}
    for name, user in cases.users.items():
        forget_scope(user)
        answers[name] = can_use_cases(user)
        assert answers[name] == _orm(user), name
    # Both kinds of answer occur: roles, participants and people with neither.
    assert answers["sspf"] and answers["socjour"] and answers["ungdomspolis"]
    assert not answers["samordnare"] and not answers["polis"]


def test_a_removed_participant_no_longer_can(cases):
    user = cases.users["ungdomspolis"]
    assert can_use_cases(user)
    CaseParticipant.objects.filter(user=user).update(removed_at=timezone.now())
    forget_scope(user)  # the answer is kept for the request
    assert not can_use_cases(user)
    assert not _orm(user)
