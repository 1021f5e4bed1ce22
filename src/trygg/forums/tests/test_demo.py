"""The demo: Nacka's forums as seed 000 describes them, after the plans demo."""

import io

import pytest

from trygg.forums.models import Decision, Forum
from trygg.forums.selectors import forum_year, meetings_by_kind

pytestmark = pytest.mark.django_db


def test_the_demo_has_24_working_group_meetings_and_6_committee_meetings_in_2023(world):
    from trygg.forums import demo
    from trygg.plans import demo as plans_demo

    plans_demo.load(world, io.StringIO())
    out = io.StringIO()
    demo.load(world, out)
    coordinator = world.users["samordnare"]
    kinds = {k.kind: k for k in meetings_by_kind(coordinator, 2023)}
    assert (
        kinds["arbetsgrupp"].forums,
        kinds["arbetsgrupp"].held,
        kinds["arbetsgrupp"].expected,
    ) == (4, 24, 24)
    assert (kinds["utskott"].held, kinds["utskott"].expected) == (6, 6)
    alta = Forum.objects.get(name="Trygg och säker Älta")
    assert forum_year(coordinator, alta, 2023).text == "Trygg och säker Älta: 6 av 6 möten 2023"
    assert alta.member_organisations.filter(name="Lokalpolisområde Nacka").exists()
    assert Decision.objects.filter(measures__isnull=False).exists()
    assert Decision.objects.filter(status="open").exists()
    assert set(
        Forum.objects.restrict(world.users["arbetsgrupp"], "view").values_list("name", flat=True)
    ) == {"Trygg och säker Älta"}
    assert "Samverkan: 10 forum" in out.getvalue()
