"""The journal in a browser: axe-core finds nothing serious, filters work by keyboard without script, and the
page fits a 320-pixel screen."""

from playwright.sync_api import expect

from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import record
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, ProjectFactory, UserFactory


def _journal_with_entries() -> None:
    dgs = UserFactory(username="dgs", roles=[Role.DGS], is_staff=True)
    project = ProjectFactory(title="Guichet numérique unique pour les démarches des familles")
    record(actor=dgs, action=AuditEntry.Action.PROJECT_CREATED, obj=project)
    record(
        actor=dgs,
        action=AuditEntry.Action.PROJECT_CHANGED,
        obj=project,
        changes=[{"field": "summary", "old": "Un résumé " * 20, "new": "Un autre résumé " * 20}],
    )


def test_the_journal_passes_axe_and_filters_by_keyboard(page):
    _journal_with_entries()
    log_in(page, "dgs", PASSWORD)
    page.get_by_role("link", name="Journal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal des actions", use_inner_text=True)
    assert serious_violations(page) == []
    page.get_by_label("Action").select_option(label="Projet modifié")
    page.get_by_role("button", name="Appliquer les filtres").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/journal/?*action=project.changed*")
    expect(page.get_by_role("heading", name="1 entrée")).to_be_visible()
    page.goto("/journal/?du=pas-une-date")
    expect(page.get_by_role("alert")).to_be_visible()
    assert serious_violations(page) == []
    page.goto("/journal/?nom=introuvable")
    expect(page.get_by_text("Aucune entrée ne correspond à ces filtres.")).to_be_visible()
    assert serious_violations(page) == []


def test_the_journal_fits_a_320_pixel_screen(browser, live_server, reference_data):
    _journal_with_entries()
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 320, "height": 640})
    phone = context.new_page()
    log_in(phone, "dgs", PASSWORD)
    phone.goto("/journal/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
