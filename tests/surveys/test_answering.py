"""A respondent answers through a personal link: no account, page by page, resumable, submitted once."""

import pytest
from django.urls import reverse

from surveys.models import Answer, Campaign, Response
from tests.surveys.builders import page_text

PAGE_A = {"A1": "commune", "A2": "directeur", "action": "next"}
PAGE_B = {"B1": "societal", "B2": ["organisation", "services"], "action": "next"}
PAGE_C = {"C1": ["administratif", "politique"], "action": "next"}


def step(invitation, number: int) -> str:
    return reverse("surveys:respond_step", args=[invitation.token, number])


def home(invitation) -> str:
    return reverse("surveys:respond", args=[invitation.token])


def submit(invitation) -> str:
    return reverse("surveys:respond_submit", args=[invitation.token])


def answered(invitation) -> dict[str, list]:
    rows = Answer.objects.filter(response__invitation=invitation).values_list(
        "question__code", "choice__code", "number", "text"
    )
    result: dict[str, list] = {}
    for code, choice, number, text in rows:
        result.setdefault(code, []).append(choice or number or text)
    return {code: sorted(values, key=str) for code, values in result.items()}


def fill_required(client, invitation) -> None:
    for number, data in ((1, PAGE_A), (2, PAGE_B), (3, PAGE_C)):
        assert client.post(step(invitation, number), data).status_code == 302


def test_the_personal_link_needs_no_account(client, invitation):
    response = client.get(home(invitation))
    assert response.status_code == 200
    assert "Commencer" in page_text(response)
    assert client.get(step(invitation, 1)).status_code == 200


def test_an_unknown_link_is_a_404(client, invitation):
    assert client.get(reverse("surveys:respond", args=["pas-un-jeton"])).status_code == 404
    assert client.post(reverse("surveys:respond_step", args=["pas-un-jeton", 1]), PAGE_A).status_code == 404


@pytest.mark.parametrize("status", [Campaign.Status.CLOSED, Campaign.Status.DRAFT])
def test_the_link_of_a_closed_or_unopened_campaign_is_a_404(client, invitation, status):
    Campaign.objects.filter(pk=invitation.campaign_id).update(status=status)
    for url in (home(invitation), step(invitation, 1), submit(invitation)):
        assert client.get(url).status_code == 404
    assert client.post(step(invitation, 1), PAGE_A).status_code == 404


def test_a_page_that_does_not_exist_is_a_404(client, invitation):
    assert client.get(step(invitation, 0)).status_code == 404
    assert client.get(step(invitation, 10)).status_code == 404


def test_answers_are_saved_page_by_page_and_the_respondent_resumes_where_they_stopped(client, invitation):
    response = client.post(step(invitation, 1), PAGE_A)
    assert response.url == step(invitation, 2)
    response = client.post(step(invitation, 2), {**PAGE_B, "action": "save"}, follow=True)
    assert "Vos réponses sont enregistrées" in page_text(response)
    assert answered(invitation) == {
        "A1": ["commune"],
        "A2": ["directeur"],
        "B1": ["societal"],
        "B2": ["organisation", "services"],
    }
    # Later, with the same link: the home page offers to resume, earlier answers are ticked.
    resumed = page_text(client.get(home(invitation)))
    assert "Reprendre à la page 3" in resumed and "Pages enregistrées : 2 sur 9" in resumed
    page_b = client.get(step(invitation, 2)).content.decode()
    assert 'value="societal" id="id_B1_1" checked' in page_b or ('value="societal"' in page_b and "checked" in page_b)
    assert Response.objects.get(invitation=invitation).status == Response.Status.IN_PROGRESS


def test_saving_a_page_again_replaces_its_answers(client, invitation):
    client.post(step(invitation, 2), PAGE_B)
    client.post(step(invitation, 2), {"B1": "managerial", "B2": ["ntic"], "action": "next"})
    assert answered(invitation) == {"B1": ["managerial"], "B2": ["ntic"]}


def test_the_previous_button_saves_and_goes_back(client, invitation):
    response = client.post(step(invitation, 2), {**PAGE_B, "action": "previous"})
    assert response.url == step(invitation, 1)
    assert answered(invitation)["B1"] == ["societal"]


def test_going_on_without_a_required_answer_is_refused_with_the_question_named(client, invitation):
    response = client.post(step(invitation, 1), {"A1": "commune", "action": "next"})
    assert response.status_code == 200
    assert "Question A2 (« Votre fonction ») : une réponse est obligatoire." in page_text(response)
    assert not Response.objects.exists()


def test_saving_for_later_does_not_demand_the_required_answers(client, invitation):
    response = client.post(step(invitation, 1), {"A1": "commune", "action": "save"})
    assert response.status_code == 302
    assert answered(invitation) == {"A1": ["commune"]}


@pytest.mark.parametrize(
    ("number", "data", "message"),
    [
        (
            4,
            {"D1": "6"},
            "Question D1 (« L'implication importante et le leadership d'un acteur administratif (DGS, DGA…) ») : "
            "la note doit être un entier de 1 à 5 (reçu : « 6 »).",
        ),
        (
            4,
            {"D2": "trois"},
            "Question D2 (« La collaboration de plusieurs acteurs internes à la collectivité ») : la note",
        ),
        (
            1,
            {"A1": "ville", "A2": "dgs"},
            "Question A1 (« Type de collectivité ») : « ville » n'est pas un choix proposé",
        ),
        (2, {"B1": "managerial", "B2": ["services", "robots"]}, "Question B2 (« Objet de l'innovation ») : « robots »"),
        (
            1,
            {"A1": ["commune", "epci"], "A2": "dgs"},
            "Question A1 (« Type de collectivité ») : un seul choix est possible.",
        ),
        (
            1,
            {"A1": "commune", "A2": "dgs", "A4": "0"},
            "Question A4 (« Nombre d'agents de la collectivité ») : le nombre doit être au moins 1.",
        ),
        (
            1,
            {"A1": "commune", "A2": "dgs", "A4": "2,5"},
            "Question A4 (« Nombre d'agents de la collectivité ») : un nombre entier",
        ),
        (
            2,
            {"B1": "managerial", "B2": ["services"], "B4": "x" * 201},
            "Question B4 (« Intitulé de l'innovation ») : 200 caractères au plus",
        ),
    ],
)
def test_a_wrong_value_is_refused_with_the_question_named_and_nothing_is_saved(
    client, invitation, number, data, message
):
    for action in ("next", "save"):
        response = client.post(step(invitation, number), {**data, "action": action})
        assert response.status_code == 200
        assert message in page_text(response)
    assert not Answer.objects.exists()


def test_errors_are_linked_to_their_question_for_screen_readers(client, invitation):
    page = client.post(step(invitation, 1), {"A1": "commune", "A4": "-3", "action": "next"}).content.decode()
    assert 'aria-describedby="id_A2_error"' in page
    assert 'id="id_A4_error"' in page and 'aria-invalid="true"' in page
    assert '<a href="#question-a2">' in page


def test_a_field_the_page_does_not_offer_is_refused(client, invitation):
    response = client.post(step(invitation, 1), {**PAGE_A, "B1": "managerial"})
    assert "Ce formulaire ne permet pas de modifier : B1." in page_text(response)
    assert not Answer.objects.exists()


def test_a_conditional_question_is_not_kept_when_its_condition_is_not_met(client, invitation):
    client.post(step(invitation, 5), {"E1": "non", "E2": "notable", "action": "next"})
    assert answered(invitation) == {"E1": ["non"]}
    client.post(step(invitation, 5), {"E1": "oui", "E2": "notable", "action": "next"})
    assert answered(invitation) == {"E1": ["oui"], "E2": ["notable"]}


def test_the_conditional_question_says_when_it_applies(client, invitation):
    page = page_text(client.get(step(invitation, 5)))
    assert "Seulement si vous avez répondu « Oui » à la question E1." in page


def test_scales_and_choices_are_grouped_in_fieldsets_with_a_legend(client, invitation):
    page = client.get(step(invitation, 4)).content.decode()
    assert page.count("<fieldset") == 7
    assert "<legend>D1. " in page
    assert "1 — Ne l&#x27;a pas favorisée" in page


def test_submitting_lists_the_missing_required_questions_with_links(client, invitation):
    client.post(step(invitation, 1), PAGE_A)
    response = client.post(submit(invitation))
    page = page_text(response)
    assert "Question B1 (« Nature de l'innovation »), page 2" in page
    assert "Question C1" in page
    assert f'href="{step(invitation, 2)}#question-b1"' in page
    assert Response.objects.get().status == Response.Status.IN_PROGRESS


def test_submitting_without_any_answer_is_refused(client, invitation):
    response = client.post(submit(invitation))
    assert response.status_code == 200
    assert "Question A1" in page_text(response)
    assert not Response.objects.exists()


def test_a_response_is_submitted_once_and_a_second_submission_is_refused_in_french(client, invitation):
    fill_required(client, invitation)
    response = client.post(submit(invitation), follow=True)
    assert "Merci ! Votre réponse est envoyée." in page_text(response)
    submitted = Response.objects.get()
    assert submitted.status == Response.Status.SUBMITTED and submitted.submitted_at

    again = client.post(submit(invitation), follow=True)
    assert "Vous avez déjà envoyé votre réponse le" in page_text(again)
    assert "une réponse ne s'envoie qu'une fois" in page_text(again)
    assert Response.objects.get().submitted_at == submitted.submitted_at


def test_answers_cannot_change_after_submission(client, invitation):
    fill_required(client, invitation)
    client.post(submit(invitation))
    response = client.post(step(invitation, 1), {**PAGE_A, "A1": "region"}, follow=True)
    assert "Vous avez déjà envoyé votre réponse" in page_text(response)
    assert answered(invitation)["A1"] == ["commune"]
    assert "Votre réponse a été envoyée le" in page_text(client.get(home(invitation)))


def test_an_answer_stores_no_user_ip_address_or_user_agent(client, invitation, agent):
    client.force_login(agent)  # even someone signed in answers anonymously through the link
    headers = {"REMOTE_ADDR": "203.0.113.77", "HTTP_USER_AGENT": "NavigateurEspion/9.9"}
    for number, data in ((1, PAGE_A), (2, PAGE_B), (3, PAGE_C)):
        client.post(step(invitation, number), data, **headers)
    client.post(submit(invitation), **headers)
    fields = {f.name for model in (Response, Answer) for f in model._meta.get_fields()}
    assert not {"user", "ip", "ip_address", "user_agent", "created_by"} & fields
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("surveys_response", "surveys_answer"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            dump = repr(cursor.fetchall())
            assert "203.0.113.77" not in dump and "NavigateurEspion" not in dump and agent.username not in dump


def test_answer_pages_are_not_cached_and_not_indexed(client, invitation):
    response = client.get(step(invitation, 1))
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
