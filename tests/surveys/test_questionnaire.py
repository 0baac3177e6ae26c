"""The national questionnaire is data, loaded by a migration, with only the figures the study published."""

from decimal import Decimal

import pytest
from django.urls import reverse

from surveys.models import Choice, Question, Questionnaire, ReferenceValue
from surveys.national import seed_national_questionnaire
from surveys.services import questionnaire_copy
from tests.surveys.builders import page_text


def test_the_national_questionnaire_has_sections_a_to_i(questionnaire):
    assert list(questionnaire.sections.order_by("order").values_list("code", flat=True)) == list("ABCDEFGHI")


@pytest.mark.parametrize(
    ("code", "kind", "choices"),
    [
        ("A1", "single", ["commune", "epci", "departement", "sdis", "region", "autre"]),
        ("A2", "single", ["dgs", "dga", "chef_projet", "directeur", "autre"]),
        ("B1", "single", ["managerial", "societal"]),
        ("B2", "multiple", ["organisation", "services", "outils_gestion", "ntic", "modeles_economiques"]),
        ("C1", "multiple", ["administratif", "politique", "agents", "partenaires"]),
    ],
)
def test_the_stable_codes_of_the_national_items_are_there(structure, code, kind, choices):
    question = structure.questions[code]
    assert question.kind == kind
    assert [c.code for c in question.choice_list] == choices


def test_every_question_type_of_the_engine_is_used(structure):
    assert {q.kind for q in structure.questions.values()} == set(Question.Kind.values)


def test_determinants_and_facilitators_are_five_point_scales(structure):
    scales = [q.code for q in structure.questions.values() if q.kind == "scale"]
    assert scales == [f"D{i}" for i in range(1, 8)] + [f"F{i}" for i in range(1, 6)] + [
        f"G{i}" for i in range(1, 6)
    ] + [f"H{i}" for i in range(1, 7)]


def test_the_published_percentages_are_stored_with_base_year_and_source(questionnaire):
    percents = {
        (r.question.code, r.choice.code): r.percent
        for r in ReferenceValue.objects.filter(question__questionnaire=questionnaire, percent__isnull=False)
    }
    assert percents == {
        ("B1", "managerial"): Decimal(53),
        ("B1", "societal"): Decimal(47),
        ("C1", "administratif"): Decimal(78),
        ("C1", "politique"): Decimal(60),
        ("C1", "agents"): Decimal(40),
    }
    for reference in ReferenceValue.objects.all():
        assert reference.base_n == 311
        assert reference.year == 2018
        assert "OPTIMA" in reference.source and "Pau" in reference.source


def test_where_only_an_ordering_was_published_ranks_are_stored_not_percentages(questionnaire):
    b2 = ReferenceValue.objects.filter(question__code="B2", question__questionnaire=questionnaire)
    assert {r.choice.code: r.rank for r in b2} == {
        "organisation": 1,
        "services": 1,
        "outils_gestion": 3,
        "ntic": 3,
        "modeles_economiques": 3,
    }
    assert not b2.filter(percent__isnull=False).exists()
    families = ReferenceValue.objects.filter(section__questionnaire=questionnaire)
    assert {r.section.code: r.rank for r in families} == {"H": 1, "G": 2, "F": 3}
    facilitators = ReferenceValue.objects.filter(question__section__code="D", choice__isnull=True)
    assert {r.question.code: r.rank for r in facilitators} == {
        "D1": 1,
        "D2": 1,
        "D3": 1,
        "D4": 1,
        "D5": 1,
        "D6": 6,
        "D7": 6,
    }


def test_the_source_of_the_questionnaire_cites_the_study(questionnaire):
    assert questionnaire.reference_respondents == 311
    assert questionnaire.reference_complete_percent == 50
    assert "Carassus" in questionnaire.source and "2017" in questionnaire.source


def test_a_question_can_depend_on_an_earlier_answer(structure):
    e2 = structure.questions["E2"]
    assert (e2.condition_question.code, e2.condition_value) == ("E1", "oui")


def test_seeding_again_changes_nothing(questionnaire):
    from django.apps import apps

    counts = (Question.objects.count(), Choice.objects.count(), ReferenceValue.objects.count())
    seed_national_questionnaire(apps)
    assert (Question.objects.count(), Choice.objects.count(), ReferenceValue.objects.count()) == counts
    assert Questionnaire.objects.count() == 1


def test_a_new_edition_copies_codes_conditions_and_references(questionnaire):
    copy = questionnaire_copy(source=questionnaire, edition="2026", year=2026, title="Questionnaire 2026")
    assert copy.series == questionnaire.series and copy.copied_from == questionnaire
    assert list(copy.questions.order_by("section__order", "order").values_list("code", "kind")) == list(
        questionnaire.questions.order_by("section__order", "order").values_list("code", "kind")
    )
    e2 = copy.questions.get(code="E2")
    assert e2.condition_question.questionnaire == copy and e2.condition_question.code == "E1"
    assert e2.section.questionnaire == copy
    assert (
        Choice.objects.filter(question__questionnaire=copy).count()
        == Choice.objects.filter(question__questionnaire=questionnaire).count()
    )
    copied = ReferenceValue.objects.filter(question__questionnaire=copy, percent__isnull=False)
    assert sorted(copied.values_list("choice__code", "percent")) == sorted(
        ReferenceValue.objects.filter(question__questionnaire=questionnaire, percent__isnull=False).values_list(
            "choice__code", "percent"
        )
    )
    assert all(r.choice.question.questionnaire == copy for r in copied)
    assert ReferenceValue.objects.filter(section__questionnaire=copy).count() == 3


def test_the_same_edition_cannot_be_created_twice(questionnaire):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        questionnaire_copy(source=questionnaire, edition=questionnaire.edition, year=2026)


def test_the_dgs_creates_an_edition_from_the_questionnaire_page(client, dgs, questionnaire):
    client.force_login(dgs)
    page = client.get(reverse("surveys:questionnaire", args=[questionnaire.pk]))
    assert "Créer une nouvelle édition" in page.content.decode()
    response = client.post(
        reverse("surveys:questionnaire_copy", args=[questionnaire.pk]), {"edition": "2026", "year": 2026}, follow=True
    )
    copy = Questionnaire.objects.get(edition="2026")
    assert response.redirect_chain[-1][0] == copy.get_absolute_url()
    assert "L'édition « 2026 » est créée" in page_text(response)


def test_a_duplicate_edition_from_the_page_is_refused_with_a_message(client, dgs, questionnaire):
    client.force_login(dgs)
    response = client.post(
        reverse("surveys:questionnaire_copy", args=[questionnaire.pk]),
        {"edition": questionnaire.edition, "year": 2026},
        follow=True,
    )
    assert "L'édition n'a pas été créée : Cette édition existe déjà." in page_text(response)
    assert Questionnaire.objects.count() == 1


def test_the_questionnaire_page_shows_the_national_figures_and_their_source(client, copil, questionnaire):
    client.force_login(copil)
    page = client.get(reverse("surveys:questionnaire", args=[questionnaire.pk])).content.decode()
    assert "53&nbsp;%" in page and "rang 3" in page and "OPTIMA" in page
    assert "Créer une nouvelle édition" not in page


def test_the_copil_cannot_create_an_edition(client, copil, questionnaire):
    client.force_login(copil)
    response = client.post(
        reverse("surveys:questionnaire_copy", args=[questionnaire.pk]), {"edition": "x", "year": 2026}
    )
    assert response.status_code == 403


def test_a_stranger_sees_no_questionnaire(client, stranger, questionnaire):
    client.force_login(stranger)
    assert client.get(reverse("surveys:questionnaire", args=[questionnaire.pk])).status_code == 404
    assert client.post(reverse("surveys:questionnaire_copy", args=[questionnaire.pk])).status_code == 404
    assert client.get(reverse("surveys:questionnaires")).status_code == 403
