"""The law's chain in chromium: the samordnare reads the law checklist, follows its
evidence to the lägesbild, adds a qualitative source, moves a problem off the list and
reads the åtgärdsplan's measures by problem; at 390 and 1280 px, with axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from trygg.conftest import axe_check, browser_login, screenshot
from trygg.situation import demo
from trygg.situation.models import PictureSource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_law_checklist_leads_to_its_evidence(browser_page, world, width):
    picture, _linked = demo.load_picture(world)
    nacka = world.organisations["nacka"]
    page = browser_page(width)
    browser_login(page, "samordnare")

    page.goto(f"/lagesbild/lag/?organisation={nacka.pk}")
    expect(page.get_by_role("heading", name="Lagens krav", exact=True)).to_be_visible()
    expect(page.get_by_text("Lag (2023:196) om kommuners ansvar").first).to_be_visible()
    expect(
        page.get_by_text("Åtgärdsplanen är beslutad av kommunfullmäktige", exact=True)
    ).to_be_visible()
    axe_check(page)
    screenshot(page, f"law-checklist-{width}")

    page.get_by_role("link", name=re.compile("Underlag.*Det finns en lägesbild")).click()
    expect(page.get_by_role("heading", name=picture.title, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Problemplatser")).to_be_visible()
    expect(page.get_by_text("Öppen drogscen vid Saltsjöbadens centrum").first).to_be_visible()
    axe_check(page)
    screenshot(page, f"law-picture-{width}")

    page.get_by_role("link", name="Lägg till källa").click()
    page.get_by_label("Typ").select_option(label="Medarbetardialog")
    page.get_by_label("Rubrik").fill(f"Medarbetardialog med hemtjänsten {width}")
    page.get_by_label("Vad den visar").fill("Fler samtal om bedrägeriförsök.")
    axe_check(page)
    page.get_by_role("button", name="Spara").click()
    # "Edit" reads "Ändra" across the whole product now (the core catalogue's wording).
    expect(page.get_by_role("link", name=re.compile(f"Ändra.*hemtjänsten {width}"))).to_be_visible()
    assert PictureSource.objects.filter(title=f"Medarbetardialog med hemtjänsten {width}").exists()

    problem = picture.problems.get(priority=3)
    page.goto(problem.get_absolute_url())
    page.get_by_label("Ny status").select_option(label="Bevakas")
    page.get_by_label("Varför").fill("Färre anmälningar om klotter.")
    axe_check(page)
    screenshot(page, f"law-problem-{width}")
    page.get_by_role("button", name="Spara status").click()
    expect(page.get_by_text("Färre anmälningar om klotter.")).to_be_visible()

    page.goto(f"/lagesbild/planer/{picture.plan_id}/per-problem/")
    expect(page.get_by_role("heading", name="Åtgärder per problem")).to_be_visible()
    expect(page.get_by_text("KFKS-2024-00512").first).to_be_visible()
    axe_check(page)
    screenshot(page, f"law-plan-by-problem-{width}")

    page.goto(f"/lagesbild/samordningsfunktion/?organisation={nacka.pk}")
    expect(page.get_by_text("Säkerhetsstrateg").first).to_be_visible()
    axe_check(page)
    screenshot(page, f"law-coordination-{width}")
