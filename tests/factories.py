"""Factories shared by the whole test suite."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Direction, Organisation, User
from accounts.roles import Role
from portfolio.models import Phase, Project

PASSWORD = "Un-mot-de-passe-solide-42"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("id",)

    id = 1
    name = "Ville de Test-sur-Mer"
    kind = Organisation.Kind.COMMUNE


class DirectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Direction
        django_get_or_create = ("organisation", "code")

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"DIR{n}")
    name = factory.Sequence(lambda n: f"Direction numéro {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"personne{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda user: f"{user.username}@test.example")
    direction = factory.SubFactory(DirectionFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: object) -> None:
        if create:
            self.save()
            if extracted:
                self.groups.set(Group.objects.filter(name__in=[role.value for role in extracted]))


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projet {n}")
    summary = "Un projet pour les tests."
    nature = "managerial"
    origin = "administrative"
    lead = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("lead")
    phase = factory.LazyFunction(lambda: Phase.objects.order_by("order").first())
    phase_since = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def directions(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.directions.set(extracted)


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contests.Contest"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Concours {n}")
    slug = factory.Sequence(lambda n: f"concours-{n}")
    theme = "Simplifier"
    description = "Proposez vos idées."
    state = "open"
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=5))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def criteria(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        from contests.models import Criterion

        if create:
            for order, (name, weight, scale) in enumerate(extracted or [("Utilité", 2, 5), ("Coût", 1, 5)]):
                Criterion.objects.create(contest=self, name=name, weight=weight, scale_max=scale, order=order)


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contests.Idea"

    contest = factory.SubFactory(ContestFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Idée {n}")
    problem = "Un problème."
    proposal = "Une proposition."
    status = "submitted"
    submitted_at = factory.LazyFunction(timezone.now)
