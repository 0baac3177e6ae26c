"""Setting up a contest and judging it, by keyboard: a fourth criterion added, the jury picked by searching, a juror
scores an idea read beside the grid and goes on to the next one, the ranking shows jurors and spread."""

import pytest

from accounts.roles import Role
from contests.models import Contest
from tests.browser.conftest import _no_violation, _watched, log_in, serious_violations
from tests.factories import PASSWORD, ContestFactory, IdeaFactory, UserFactory


def press(page, name: str, key: str = "Enter") -> None:
    """Reach a control by its accessible name and use it with a key, as a keyboard user does."""
    control = page.get_by_role("button", name=name) if key == "Enter" else page.get_by_label(name, exact=True)
    control.focus()
    page.keyboard.press(key)


def fill_criterion(page, number: int, name: str, weight: str) -> None:
    row = page.locator("[data-criterion]").nth(number - 1)
    row.get_by_label("Critère (obligatoire)").fill(name)
    row.get_by_label("Poids (obligatoire)").fill(weight)


def test_a_contest_is_set_up_and_judged_by_keyboard(page):
    UserFactory(username="dgs", roles=[Role.DGS], is_staff=True)
    UserFactory(username="helene", first_name="Hélène", last_name="Martin", roles=[Role.JURY])
    UserFactory(username="marc", first_name="Marc", last_name="Martinez", roles=[Role.JURY])
    UserFactory(first_name="Paul", last_name="Durand", roles=[Role.AGENT])
    log_in(page, "dgs", PASSWORD)
    page.goto("/concours/nouveau/")
    assert serious_violations(page) == []

    page.get_by_label("Titre (obligatoire)").press_sequentially("Sobriété énergétique")
    assert page.get_by_label("Adresse", exact=True).input_value() == "sobriete-energetique"  # proposed from the title
    page.get_by_label("Thème (obligatoire)").fill("Économiser l'énergie")
    page.get_by_label("Description (obligatoire)").fill("Vos idées pour consommer moins.")
    page.get_by_label("Ouverture (obligatoire)").fill("2027-01-04")
    page.get_by_label("Clôture (obligatoire)").fill("2027-02-26")

    # The jury: searching narrows the list while typing, a live region says how many are found.
    search = page.get_by_label("Chercher une personne (Membres du jury)")
    search.press_sequentially("mart")
    status = page.locator("#id_contest-jury_count")
    status.get_by_text("0 personne choisie ; 2 autres personnes trouvées pour « mart ».").wait_for()
    assert not page.get_by_label("Paul Durand").is_visible()
    page.keyboard.press("Enter")  # stays on the page: the list is already narrowed
    press(page, "Hélène Martin", "Space")
    press(page, "Marc Martinez", "Space")
    status.get_by_text("2 personnes choisies ; 0 autre personne trouvée pour « mart ».").wait_for()

    # The grid: two criteria, then "Ajouter un critère" twice (the page comes back with one more each time).
    fill_criterion(page, 1, "Utilité", "2")
    fill_criterion(page, 2, "Coût", "1")
    assert page.locator("[data-criterion]").nth(0).get_by_text("Part dans le score : 67 %").is_visible()
    press(page, "Ajouter un critère")
    page.get_by_text("Un critère vide est ajouté en bas de la grille").wait_for()
    fill_criterion(page, 3, "Audace", "1")
    press(page, "Ajouter un critère")
    page.locator("[data-criterion]").nth(3).wait_for()
    fill_criterion(page, 4, "Impact", "1")
    shares = page.locator("[data-share]").all_inner_texts()
    assert shares == [f"Part dans le score : {share} %" for share in (40, 20, 20, 20)]
    assert serious_violations(page) == []
    page.get_by_label("Thème (obligatoire)").press("Enter")  # Enter in a field saves, not the picker's search
    page.get_by_text("Le concours « Sobriété énergétique » est enregistré.").wait_for()
    assert serious_violations(page) == []

    contest = Contest.objects.get(slug="sobriete-energetique")
    assert [c.name for c in contest.criteria.all()] == ["Utilité", "Coût", "Audace", "Impact"]
    assert sorted(j.username for j in contest.jury.all()) == ["helene", "marc"]

    # A juror scores: the idea is beside the grid; saving leads to the next idea.
    IdeaFactory(contest=contest, title="Éteindre les écrans la nuit", proposal="Une prise programmable par bureau.")
    IdeaFactory(contest=contest, title="Fermer un bâtiment le vendredi")
    Contest.objects.filter(pk=contest.pk).update(state="evaluation")
    page.context.clear_cookies()
    log_in(page, "helene", PASSWORD)
    page.goto("/concours/sobriete-energetique/evaluation/")
    page.get_by_role("link", name="Éteindre les écrans la nuit").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Noter « Éteindre les écrans la nuit »").wait_for()
    assert page.get_by_text("Une prise programmable par bureau.").is_visible()
    assert serious_violations(page) == []
    for criterion in ("Utilité", "Coût", "Audace", "Impact"):
        group = page.get_by_role("group", name=criterion)
        group.get_by_role("radio").first.focus()
        page.keyboard.press("ArrowRight")  # 1 -> 2
        page.keyboard.press("ArrowRight")  # 2 -> 3
    press(page, "Enregistrer et passer à l'idée suivante")
    page.get_by_role("heading", name="Noter « Fermer un bâtiment le vendredi »").wait_for()
    assert "Voici l’idée suivante à noter." in page.locator(".messages").inner_text()

    # The ranking: one juror of two scored the first idea; one total, so bounds but no deviation.
    page.context.clear_cookies()
    log_in(page, "dgs", PASSWORD)
    page.goto("/concours/sobriete-energetique/classement/")
    row = page.get_by_role("row").filter(has_text="Éteindre les écrans la nuit")
    assert "1/2" in row.inner_text() and "60,0 (un seul juré)" in row.inner_text()
    assert "0/2" in page.get_by_role("row").filter(has_text="Fermer un bâtiment le vendredi").inner_text()
    assert serious_violations(page) == []


@pytest.fixture
def narrow(browser, live_server, reference_data, csp_violations):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 320, "height": 640})
    page = _watched(context, csp_violations).new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()
    _no_violation(csp_violations)


def test_the_contest_form_and_the_scoring_page_fit_320_px(narrow):
    dgs = UserFactory(username="dgs", roles=[Role.DGS, Role.JURY], is_staff=True)
    UserFactory.create_batch(3, first_name="Marie-Charlotte", last_name="de La Tour-Maubourg-Villeneuve")
    contest = ContestFactory(slug="sobriete", state="evaluation")
    contest.jury.add(dgs)
    idea = IdeaFactory(contest=contest, title="Éteindre les écrans la nuit dans tous les bâtiments de la collectivité")
    log_in(narrow, "dgs", PASSWORD)
    for path in (
        "/concours/nouveau/",
        f"/concours/sobriete/idees/{idea.pk}/evaluer/",
        "/concours/sobriete/classement/",
    ):
        narrow.goto(path)
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 320, path
        assert serious_violations(narrow) == [], path
