"""An agent submits an idea, two jurors score it, the DGS selects it and it becomes a project."""

from playwright.sync_api import expect

from accounts.roles import Role
from contests.models import Idea
from portfolio.models import Project
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, ContestFactory, DirectionFactory, UserFactory


def new_page(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    log_in(page, username, PASSWORD)
    return page


def test_an_idea_goes_from_an_agent_to_the_portfolio(browser, live_server, reference_data):
    direction = DirectionFactory(code="DEF", name="Direction des familles")
    UserFactory(username="agent", first_name="Karim", last_name="Haddad", direction=direction, roles=[Role.AGENT])
    jurors = [UserFactory(username=f"jure{n}", roles=[Role.JURY]) for n in (1, 2)]
    UserFactory(username="dgs", roles=[Role.DGS], is_staff=True)
    contest = ContestFactory(slug="ecologie", title="Transition écologique")
    contest.jury.set(jurors)

    agent = new_page(browser, live_server, "agent")
    agent.goto("/concours/ecologie/")
    assert serious_violations(agent) == []
    agent.get_by_role("link", name="Proposer une idée").click()
    assert serious_violations(agent) == []
    agent.get_by_label("Titre").fill("Cantine zéro gaspillage")
    agent.get_by_label("Problème constaté").fill("Un tiers des repas finit à la poubelle.")
    agent.get_by_label("Proposition").fill("Peser les restes et ajuster les commandes.")
    agent.get_by_role("button", name="Déposer mon idée").click()
    expect(agent.get_by_role("heading", level=1)).to_have_text("Merci, votre idée est déposée", use_inner_text=True)
    assert serious_violations(agent) == []
    idea = Idea.objects.get()
    agent.goto(idea.get_absolute_url())
    assert serious_violations(agent) == []
    agent.context.close()

    contest.state = "evaluation"
    contest.save(update_fields=["state"])
    for juror, marks in zip(("jure1", "jure2"), ((5, 4), (4, 4)), strict=True):
        page = new_page(browser, live_server, juror)
        page.goto("/concours/ecologie/evaluation/")
        expect(page.get_by_role("status")).to_have_text("0 sur 1 évaluées", use_inner_text=True)
        assert serious_violations(page) == []
        page.get_by_role("link", name="Cantine zéro gaspillage").click()
        for criterion, mark in zip(contest.criteria.all(), marks, strict=True):
            page.locator(f"input[name=score_{criterion.pk}][value='{mark}']").check()
        assert serious_violations(page) == []
        page.get_by_role("button", name="Enregistrer mes notes").click()
        expect(page.locator(".messages")).to_contain_text("1 sur 1 idées évaluées", use_inner_text=True)
        page.context.close()

    dgs = new_page(browser, live_server, "dgs")
    dgs.goto("/concours/ecologie/classement/")
    assert serious_violations(dgs) == []
    # Utilité (weight 2): mean 4.5/5; Coût (weight 1): 4/5 -> (2 x 0.9 + 0.8) / 3 = 86.7 / 100
    expect(dgs.locator("tbody tr td strong").first).to_have_text("86,7", use_inner_text=True)
    dgs.goto(idea.get_absolute_url())
    dgs.get_by_label("Décision (obligatoire)", exact=True).select_option("selected")
    dgs.get_by_role("button", name="Enregistrer et prévenir les auteurs").click()
    dgs.get_by_label("Nature").select_option("societal")
    dgs.get_by_label("Nouveaux services").check()
    dgs.get_by_role("button", name="Créer le projet").click()
    expect(dgs.get_by_role("heading", level=1)).to_have_text("Cantine zéro gaspillage", use_inner_text=True)
    assert "Issu de l'idée « Cantine zéro gaspillage »" in dgs.content()
    project = Project.objects.get()
    assert (project.origin, project.phase.code) == ("contest", "emergence")
    dgs.goto("/projets/?origine=contest")
    expect(dgs.get_by_role("link", name="Cantine zéro gaspillage")).to_be_visible()
    for path in (
        "/concours/",
        "/concours/ecologie/",
        "/concours/ecologie/resultats/",
        "/concours/nouveau/",
        "/concours/mes-idees/",
        "/comptes/notifications/",
    ):
        dgs.goto(path)
        assert serious_violations(dgs) == [], path
    dgs.context.close()
