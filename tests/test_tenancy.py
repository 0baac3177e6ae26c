"""The scoping of common.tenancy: each collectivité reads its own rows, whoever asks and however."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction

from accounts.models import Direction, Organisation
from accounts.roles import Role
from common import tenancy
from contests.models import Contest
from innovation_portal import celery
from portfolio.models import Project
from tests.factories import ContestFactory, DirectionFactory, ProjectFactory, UserFactory


@pytest.fixture
def two(db):
    first = Organisation.objects.create(name="Ville d'Amont", kind="commune", slug="amont")
    second = Organisation.objects.create(name="Ville d'Aval", kind="commune", slug="aval")
    return first, second


def people_of(organisation, code):
    direction = DirectionFactory(organisation=organisation, code=code)
    return {
        role: UserFactory(
            roles=[role], direction=direction, username=f"{code.lower()}-{role.value}", last_name=f"{code}{role.value}"
        )
        for role in (Role.DGS, Role.PROJECT_LEAD, Role.AGENT)
    }


def test_each_collectivite_reads_its_own_rows_and_nothing_without_one(two, reference_data):
    first, second = two
    with tenancy.scoped(first):
        mine = ProjectFactory(title="Budget participatif d'Amont")
    with tenancy.scoped(second):
        theirs = ProjectFactory(title="Budget participatif d'Aval")
        assert list(Project.objects.all()) == [theirs]
    assert (mine.organisation, theirs.organisation) == (first, second)
    with tenancy.scoped(first):
        assert list(Project.objects.all()) == [mine]
        assert not Project.objects.filter(pk=theirs.pk).exists()
    with tenancy.scoped(None):  # nobody's: an animateur, an anonymous visitor of a network
        assert not Project.objects.exists()
    with tenancy.unscoped():
        assert Project.objects.count() == 2


def test_the_rows_of_a_project_are_read_through_their_project(two, reference_data):
    from portfolio.models import Indicator

    first, second = two
    with tenancy.scoped(second):
        indicator = Indicator.objects.create(project=ProjectFactory(), name="Délai moyen")
    with tenancy.scoped(first):
        assert not Indicator.objects.filter(pk=indicator.pk).exists()
    with tenancy.scoped(second):
        assert Indicator.objects.get(pk=indicator.pk) == indicator
        assert list(indicator.project.indicators.all()) == [indicator]


def test_an_anonymous_visitor_reads_the_only_collectivite_of_a_single_deployment(db, reference_data):
    project = ProjectFactory()
    token = tenancy.activate(tenancy.SOLE)
    try:
        assert list(Project.objects.all()) == [project]
        Organisation.objects.create(name="Seconde", kind="commune")
        assert not Project.objects.exists()  # two collectivités: an anonymous visitor reads none
    finally:
        tenancy.deactivate(token)


def test_a_person_of_a_direction_belongs_to_its_collectivite(two):
    first, second = two
    person = people_of(second, "DRH")[Role.AGENT]
    assert person.organisation == second


def test_addresses_and_codes_are_unique_within_a_collectivite_only(two, reference_data):
    first, second = two
    for organisation in two:
        with tenancy.scoped(organisation):
            ContestFactory(slug="ecologie")
            DirectionFactory(code="DRH", organisation=organisation)
    assert Contest.objects.filter(slug="ecologie").count() == 2
    assert Direction.objects.filter(code="DRH").count() == 2
    with tenancy.scoped(first), pytest.raises(IntegrityError), transaction.atomic():
        Contest.objects.create(**{**_contest_fields(), "slug": "ecologie"})


def _contest_fields():

    lead = UserFactory()
    return {
        "title": "Autre",
        "theme": "Thème",
        "description": "Description",
        "opens_on": datetime.date(2026, 1, 1),
        "closes_on": datetime.date(2026, 2, 1),
        "created_by": lead,
    }


def test_the_contest_form_refuses_an_address_taken_in_the_same_collectivite_only(client, two, reference_data):
    first, second = two
    with tenancy.scoped(second):
        ContestFactory(slug="mobilites")
    dgs = people_of(first, "DG")[Role.DGS]
    dgs.is_staff = True
    dgs.save()
    client.force_login(dgs)
    from tests.contests.test_contest_setup import contest_data

    response = client.post("/concours/nouveau/", contest_data(slug="mobilites"))
    assert response.status_code == 302
    with tenancy.unscoped():
        assert Contest.objects.get(slug="mobilites", organisation=first)
    response = client.post("/concours/nouveau/", contest_data(slug="mobilites", title="Encore"))
    assert "Un autre concours utilise déjà cette adresse." in response.content.decode()


def test_bulk_creation_gives_the_rows_the_collectivite_in_scope(two, reference_data):
    first, second = two
    lead = people_of(second, "DST")[Role.PROJECT_LEAD]
    phase = ProjectFactory.build().phase
    with tenancy.scoped(second):
        Project.objects.bulk_create(
            Project(
                title=f"Projet {n}",
                summary="-",
                nature="managerial",
                origin="agents",
                lead=lead,
                created_by=lead,
                phase=phase,
                phase_since=datetime.date(2026, 1, 5),
            )
            for n in range(3)
        )
    with tenancy.unscoped():
        assert set(Project.objects.values_list("organisation", flat=True)) == {second.pk}


def test_a_task_reads_the_collectivite_of_whoever_queued_it(two):
    first, second = two
    headers: dict[str, object] = {}
    with tenancy.scoped(second):
        celery.carry_the_scope(headers=headers)
    assert headers[celery.SCOPE_HEADER] == {"organisation_id": second.pk}

    class Request:
        def __init__(self, **headers):
            self.headers = headers

    class Task:
        request = Request(**headers)

    celery.enter_the_scope(task=Task)
    try:
        assert tenancy.current_organisation_id() == second.pk
    finally:
        celery.leave_the_scope(task=Task)
    assert tenancy.current_scope() is None


def test_cached_figures_are_kept_apart_per_collectivite(two, settings):
    from common.cache import computed_once

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    first, second = two
    with tenancy.scoped(first):
        assert computed_once("test", "same", lambda: "amont", seconds=60) == "amont"
    with tenancy.scoped(second):
        assert computed_once("test", "same", lambda: "aval", seconds=60) == "aval"


def test_each_collectivite_gets_its_quarterly_report(two):

    from reports import services
    from reports.models import Report

    reports = services.schedule_quarterly_reports(today=datetime.date(2026, 10, 1))
    with tenancy.unscoped():
        assert sorted((r.organisation_id, r.quarter) for r in Report.objects.all()) == sorted(
            (o.pk, "2026Q3") for o in two
        )
    assert len(reports) == 2


def test_the_pages_of_a_person_show_only_their_collectivite(client, two, reference_data):
    first, second = two
    with tenancy.scoped(second):
        ProjectFactory(title="Tiers-lieu ZZB-confidentiel")
    with tenancy.scoped(first):
        ProjectFactory(title="Tiers-lieu d'Amont")
    client.force_login(people_of(first, "DG")[Role.DGS])
    page = client.get("/projets/").content.decode()
    assert "Tiers-lieu d&#x27;Amont" in page or "Tiers-lieu d'Amont" in page
    assert "ZZB-confidentiel" not in page


def test_the_choices_of_forms_and_filters_are_those_of_the_collectivite(client, two, reference_data):
    """Querysets built when the forms are imported (no scope then) take the scope of the request using them."""
    first, second = two
    theirs = people_of(second, "ZZBDIR")
    DirectionFactory(organisation=second, code="ZZB", name="Direction ZZB-confidentiel")
    mine = people_of(first, "DG")
    client.force_login(mine[Role.DGS])
    for address in ("/projets/nouveau/", "/projets/"):
        page = client.get(address).content.decode()
        assert "ZZB-confidentiel" not in page, address
        assert theirs[Role.PROJECT_LEAD].last_name not in page, address
    # A forged choice of the other collectivité's direction is refused like an unknown one.
    with tenancy.unscoped():
        foreign = Direction.objects.get(code="ZZB")
    response = client.get("/projets/", {"direction": foreign.pk})
    assert "ZZB-confidentiel" not in response.content.decode()


def test_each_collectivite_completes_the_shared_lists_with_its_own(two, reference_data):
    from portfolio.models import Domain, Tag, TagSet

    first, second = two
    shared = Domain.objects.create(name="Domaine commun")
    with tenancy.scoped(first):
        own = Domain.objects.create(name="Agriculture urbaine")
        criteria = TagSet.objects.create(name="Critères d'Amont")
        Tag.objects.create(tag_set=criteria, name="Sobriété")
        assert {shared, own} <= set(Domain.objects.all())
    assert (shared.organisation, own.organisation) == (None, first)
    with tenancy.scoped(second):
        assert shared in Domain.objects.all()
        assert own not in Domain.objects.all()
        assert not TagSet.objects.filter(name="Critères d'Amont").exists()
        assert not Tag.objects.filter(name="Sobriété").exists()
        Domain.objects.create(name="Agriculture urbaine")  # the same name, its own entry


def test_a_dgs_edits_their_own_entries_of_the_lists_not_the_shared_ones(client, two, reference_data):
    from portfolio.models import Domain

    first, second = two
    shared = Domain.objects.create(name="Domaine commun")
    with tenancy.scoped(first):
        own = Domain.objects.create(name="Agriculture urbaine")
    with tenancy.scoped(second):
        theirs = Domain.objects.create(name="Domaine ZZB")
    dgs = people_of(first, "DG")[Role.DGS]
    dgs.is_staff = True
    dgs.save()
    dgs.user_permissions.add(*Permission.objects.filter(codename__in=["view_domain", "change_domain", "add_domain"]))
    client.force_login(dgs)
    listing = client.get("/admin/portfolio/domain/").content.decode()
    assert "Agriculture urbaine" in listing and "Domaine commun" in listing
    assert "Domaine ZZB" not in listing
    assert client.get(f"/admin/portfolio/domain/{theirs.pk}/change/").status_code in (302, 404)
    client.post(f"/admin/portfolio/domain/{shared.pk}/change/", {"name": "Renommé", "name_en": "", "order": 0})
    shared.refresh_from_db()
    assert shared.name == "Domaine commun"
    client.post(
        f"/admin/portfolio/domain/{own.pk}/change/", {"name": "Agriculture en ville", "name_en": "", "order": 0}
    )
    own.refresh_from_db()
    assert own.name == "Agriculture en ville"


def test_a_copy_of_the_national_questionnaire_is_its_collectivite_s_own(two, reference_data):
    from surveys import services
    from surveys.models import Questionnaire
    from surveys.national import EDITION, SERIES

    first, second = two
    national = Questionnaire.objects.get(series=SERIES, edition=EDITION)
    with tenancy.scoped(first):
        copy = services.questionnaire_copy(source=national, edition="2027", year=2027, title="Notre édition")
        assert set(Questionnaire.objects.all()) >= {national, copy}
    assert (national.organisation, copy.organisation) == (None, first)
    with tenancy.scoped(second):
        assert national in Questionnaire.objects.all() and copy not in Questionnaire.objects.all()
        theirs = services.questionnaire_copy(source=national, edition="2027", year=2027)  # the same name, its own
    assert theirs.organisation == second
