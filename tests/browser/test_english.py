"""A person switches the interface to English with the keyboard: the project page, the dashboard and the survey
results name the reference lists in English and write numbers and dates the English way, charts included."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.roles import Role
from portfolio.models import Domain, Indicator, InnovationObject, Measurement, Phase
from surveys.models import Campaign, Questionnaire
from surveys.national import EDITION, SERIES
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, ProjectFactory, UserFactory
from tests.surveys.builders import add_responses


def _data() -> tuple:
    dgs = UserFactory(username="dgs", roles=[Role.DGS], is_staff=True)
    project = ProjectFactory(
        title="Guichet numérique",
        lead=dgs,
        phase=Phase.objects.get(code="implementation"),
        phase_since=datetime.date(2026, 3, 4),
        domain=Domain.objects.get(name="Ressources humaines"),
    )
    project.objects_of_innovation.set([InnovationObject.objects.get(code="ntic")])
    indicator = Indicator.objects.create(project=project, name="Délai", unit="j", target=Decimal("600.50"))
    Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 3, 4), value=Decimal("1234.25"))
    campaign = Campaign.objects.create(
        questionnaire=Questionnaire.objects.get(series=SERIES, edition=EDITION),
        title="Enquête des cadres",
        slug="cadres",
        status=Campaign.Status.OPEN,
        opened_at=timezone.now(),
        created_by=dgs,
    )
    add_responses(campaign, 6, {"B1": "managerial", "D1": 3})
    add_responses(campaign, 6, {"B1": "societal", "D1": 4})
    return project, campaign


def test_the_interface_switched_to_english_shows_english_reference_labels_and_numbers(page):
    project, campaign = _data()
    log_in(page, "dgs", PASSWORD)
    page.goto(project.get_absolute_url())
    assert "Mise en œuvre" in page.locator("main").inner_text()

    page.get_by_label("Langue").focus()  # the switcher in the footer, by the keyboard
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("html[lang='en']")

    main = page.locator("main").inner_text()
    assert "Implementation" in main and "ICT (digital)" in main and "Mise en œuvre" not in main
    assert "1234.25" in main and "600.50" in main and "03/04/2026" in main
    page.locator("[data-figure]").first.scroll_into_view_if_needed()  # drawn when it comes into view
    page.locator("[data-figure] .annotation-text", has_text="600.50").wait_for()
    assert serious_violations(page) == []

    page.goto("/tableaux-de-bord/")
    phases = page.locator("table", has=page.locator("th", has_text="Implementation"))
    assert phases.first.is_visible()
    assert serious_violations(page) == []

    page.goto(f"/enquetes/{campaign.slug}/resultats/")
    assert page.get_by_role("heading", name="B1. Nature of the innovation").is_visible()
    assert "3.5" in page.locator("main").inner_text()
    assert serious_violations(page) == []
