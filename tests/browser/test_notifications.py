"""The inbox, the notification preferences and the DGS's failed deliveries: keyboard, axe-core, 320 px."""

from playwright.sync_api import expect

from accounts.models import Notification, NotificationPreference, OutgoingEmail
from accounts.roles import Role
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, UserFactory


def _failed_delivery():
    OutgoingEmail.objects.create(
        to="agent@ville.fr",
        kind=OutgoingEmail.Kind.NOTIFICATION,
        subject="Votre idée « Vélos »",
        body="…",
        status=OutgoingEmail.Status.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed: timed out",
    )


def test_a_person_chooses_the_daily_digest_with_the_keyboard(page):
    agent = UserFactory(username="agent", roles=[Role.AGENT])
    Notification.objects.create(user=agent, message="Votre idée « Vélos » est déposée.", url="/concours/")
    log_in(page, "agent", PASSWORD)
    page.goto("/comptes/notifications/")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Choisir comment être prévenu·e").click()
    group = page.get_by_role("group", name="Suivi de mes idées (dépôt, examen, décision)")
    group.get_by_label("Dans le portail et dans un récapitulatif quotidien par e-mail").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Enregistrer mes préférences").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_have_text(
        "Vos préférences de notification sont enregistrées.", use_inner_text=True
    )
    assert NotificationPreference.objects.get(user=agent, kind="idea_status").channel == "digest"
    assert serious_violations(page) == []


def test_the_dgs_resends_a_failed_delivery(page):
    UserFactory(username="dgs", roles=[Role.DGS], is_staff=True)
    _failed_delivery()
    log_in(page, "dgs", PASSWORD)
    page.goto("/comptes/notifications/")
    page.get_by_role("link", name="Envois en échec").click()
    expect(page.get_by_role("cell", name="agent@ville.fr", exact=True)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Renvoyer le message à agent@ville.fr").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("repart", use_inner_text=True)
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT  # no SMTP here: written to files
    expect(page.get_by_text("Aucun envoi en échec")).to_be_visible()


def test_the_notification_pages_fit_a_320_px_screen(phone):
    UserFactory(username="dgs", roles=[Role.DGS], is_staff=True)
    _failed_delivery()
    phone.set_viewport_size({"width": 320, "height": 640})
    log_in(phone, "dgs", PASSWORD)
    for path in ["/comptes/notifications/", "/comptes/notifications/preferences/", "/comptes/envois-en-echec/"]:
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 320, path
