"""The 'sans mouvement' filter of the project list in a browser: reached and used with the keyboard, a bad number
explained, axe-core finds nothing serious; the dashboard's link opens the same list."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, ProjectFactory, UserFactory


def test_a_lead_filters_projects_without_movement_with_the_keyboard(page):
    UserFactory(username="dgs", roles=[Role.DGS])
    today = timezone.localdate()
    ProjectFactory(title="Guichet endormi", phase_since=today - datetime.timedelta(days=200))
    ProjectFactory(title="Charte récente", phase_since=today - datetime.timedelta(days=5))
    log_in(page, "dgs", PASSWORD)
    page.goto("/projets/")
    field = page.get_by_label("Sans mouvement depuis plus de (jours)")
    for _ in range(80):  # Tab from the top of the page until the field has the focus
        page.keyboard.press("Tab")
        if field.evaluate("element => element === document.activeElement"):
            break
    assert field.evaluate("element => element === document.activeElement")
    page.keyboard.type("0")
    page.keyboard.press("Enter")  # the browser refuses it (min 1) and stays on the page
    assert field.evaluate("element => !element.validity.valid")
    page.goto("/projets/?sans_mouvement=4000")  # typed into the address: the server explains
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text("Indiquez un nombre entier de jours, de 1 à 3 650.")).to_be_visible()
    assert serious_violations(page) == []
    field = page.get_by_label("Sans mouvement depuis plus de (jours)")
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("180")
    page.keyboard.press("Enter")
    page.wait_for_url("**/projets/?*sans_mouvement=180*")
    expect(page.get_by_role("heading", name="1 projet", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Guichet endormi")).to_be_visible()
    expect(page.get_by_role("link", name="Charte récente")).to_have_count(0)
    assert serious_violations(page) == []
