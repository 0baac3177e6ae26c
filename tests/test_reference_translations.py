"""Reference data in both languages: every label the migrations seed has its English, and the test says which
one does not; the live seed (used after a flush) writes the same English."""

import pytest
from django.apps import apps as global_apps
from django.utils import translation

from accounts import demo as accounts_demo
from accounts.models import Direction
from portfolio.models import AdoptionActor, Domain, InnovationObject, Phase, SuccessFactor, Tag, TagSet
from portfolio.reference import seed_reference_data
from surveys.models import Choice, Question, Questionnaire, ReferenceValue, Section
from surveys.national import seed_national_questionnaire

# Each model of reference data and its fields written in French, each with an English column ``<field>_en``.
TRANSLATED = {
    Phase: ("label", "description", "exit_criteria"),
    Domain: ("name",),
    InnovationObject: ("label",),
    AdoptionActor: ("label",),
    SuccessFactor: ("label",),
    TagSet: ("name", "description"),
    Tag: ("name",),
    Direction: ("name",),
    Questionnaire: ("title", "description"),
    Section: ("title", "description"),
    Question: ("text", "help_text", "scale_low_label", "scale_high_label"),
    Choice: ("label",),
    ReferenceValue: ("note",),
}

# Words spelt the same in both languages: their English may equal their French.
SAME_IN_ENGLISH = {"Adoption", "Appropriation", "Innovation", "Participation"}


def untranslated() -> list[str]:
    """Every reference text without its English (or with the French copied where English differs)."""
    missing = []
    for model, fields in TRANSLATED.items():
        for row in model.objects.order_by("pk"):
            for field in fields:
                french, english = getattr(row, field), getattr(row, f"{field}_en")
                if french and (not english.strip() or (english == french and french not in SAME_IN_ENGLISH)):
                    missing.append(f"{model._meta.label} #{row.pk} {field}: {french!r}")
    return missing


def test_every_reference_text_seeded_by_the_migrations_has_its_english(db):
    assert untranslated() == []


def test_the_check_names_a_label_left_in_french_only(db):
    Domain.objects.create(name="Voirie et propreté", order=99)
    Phase.objects.filter(code="implementation").update(label_en="Mise en œuvre")
    assert untranslated() == [
        f"portfolio.Phase #{Phase.objects.get(code='implementation').pk} label: 'Mise en œuvre'",
        f"portfolio.Domain #{Domain.objects.get(name='Voirie et propreté').pk} name: 'Voirie et propreté'",
    ]


def test_every_english_column_is_checked():
    """A model given an English column later is added to TRANSLATED, or this test says which one is missing."""
    english = {
        model: tuple(sorted(f.name.removesuffix("_en") for f in model._meta.fields if f.name.endswith("_en")))
        for model in global_apps.get_models()
        if any(f.name.endswith("_en") for f in model._meta.fields) and not model.__name__.startswith("Historical")
    }
    assert english == {model: tuple(sorted(fields)) for model, fields in TRANSLATED.items()}


def test_the_seed_used_after_a_flush_writes_the_same_english(db):
    Phase.objects.update(label_en="", description_en="")
    Choice.objects.update(label_en="")
    ReferenceValue.objects.update(note_en="")
    seed_reference_data(global_apps)
    seed_national_questionnaire(global_apps)
    assert untranslated() == []


def test_the_demo_directions_have_their_english(db):
    accounts_demo.seed()
    assert untranslated() == []


def test_labels_follow_the_active_language_and_fall_back_to_french(db):
    phase = Phase.objects.get(code="implementation")
    choice = Choice.objects.get(question__code="A1", code="commune")
    with translation.override("en"):
        assert (str(phase), phase.localized_exit_criteria) == (
            "Implementation",
            "Results observed against the indicators set at adoption.",
        )
        assert choice.localized_label == "Municipality (commune)"
        phase.label_en = ""
        assert str(phase) == "Mise en œuvre"  # no English yet: the French rather than nothing
    with translation.override("fr"):
        assert (str(Phase.objects.get(code="implementation")), str(choice)) == ("Mise en œuvre", "Commune")


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Phase, ["label_en", "description_en", "exit_criteria_en"]),
        (Domain, ["name_en"]),
        (InnovationObject, ["label_en"]),
        (AdoptionActor, ["label_en"]),
        (SuccessFactor, ["label_en"]),
        (TagSet, ["name_en", "description_en", "tags-0-name_en"]),
        (Questionnaire, ["title_en", "description_en", "sections-0-title_en", "sections-0-description_en"]),
        (Question, ["text_en", "help_text_en", "scale_low_label_en", "choices-0-label_en", "references-0-note_en"]),
    ],
)
def test_the_admin_edits_both_languages(admin_client, model, fields):
    row = model.objects.filter(code="B1").first() if model is Question else model.objects.first()
    page = admin_client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/{row.pk}/change/")
    assert page.status_code == 200
    for field in fields:
        assert f'name="{field}"' in page.content.decode()
