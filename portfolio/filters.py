import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OrderBy, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Direction, User
from common.collation import french_order
from common.forms import DateInput, ScopedChoicesForm
from common.validators import folded
from portfolio import effort
from portfolio.models import DecisionRequest, Domain, InnovationObject, Phase, Project, Tag

MAX_SEARCH_WORDS = 10  # each word is a condition; a pasted paragraph must not become a giant query
MAX_STALLED_DAYS = 3650  # ten years: beyond, the date would mean nothing (and could overflow a date)
DAYS_ERROR = _("Indiquez un nombre entier de jours, de 1 à 3 650.")


class DaysFilter(django_filters.Filter):  # type: ignore[misc]  # django-filter has no type information
    field_class = forms.IntegerField


class CheckedFilter(django_filters.Filter):  # type: ignore[misc]  # django-filter has no type information
    """A box to tick: ticked applies the filter, left empty shows everything."""

    field_class = forms.BooleanField


def stalled_since(projects: QuerySet[Project], days: int, today: datetime.date | None = None) -> QuerySet[Project]:
    """Projects in progress today that have stayed in their phase for more than ``days`` days: a plain range on
    ``phase_since``, which the index on (phase, -phase_since) serves."""
    limit = (today or timezone.localdate()) - datetime.timedelta(days=days)
    return projects.filter(status=Project.Status.ACTIVE, phase_since__lt=limit)


class ProjectOrdering(django_filters.OrderingFilter):  # type: ignore[misc]  # django-filter has no type information
    """The sorts of the list; the title in French order on both databases ("Éclairage" before "Réseau")."""

    def filter(self, qs: QuerySet[Project], value: list[str] | None) -> QuerySet[Project]:
        if not value:
            return qs
        ordering: list[str | OrderBy] = []
        for param in value:
            name = self.get_ordering_value(param)
            if name.lstrip("-") == "title":
                ordering.extend(french_order(qs, "title", "title_folded", descending=name.startswith("-")))
            else:
                ordering.append(name)
        return qs.order_by(*ordering)


class ProjectFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter has no type information
    """The filters of the project list; their French names make bookmarkable URLs."""

    q = django_filters.CharFilter(label=_("Recherche"), method="search", max_length=200)
    phase = django_filters.ModelMultipleChoiceFilter(
        label=_("Phase"),
        queryset=Phase.objects.all(),
        to_field_name="code",
        field_name="phase__code",
        distinct=False,  # one phase per project: no duplicate rows to remove, and the sort's index stays usable
        widget=forms.CheckboxSelectMultiple,
    )
    nature = django_filters.ChoiceFilter(label=_("Nature"), choices=Project.Nature.choices, empty_label=_("Toutes"))
    objet = django_filters.ModelMultipleChoiceFilter(
        label=_("Objet"),
        queryset=InnovationObject.objects.all(),
        to_field_name="code",
        field_name="objects_of_innovation__code",
        distinct=True,
        widget=forms.CheckboxSelectMultiple,
    )
    domaine = django_filters.ModelChoiceFilter(
        label=_("Domaine"), queryset=Domain.objects.all(), field_name="domain", empty_label=_("Tous")
    )
    direction = django_filters.ModelChoiceFilter(
        label=_("Direction"),
        queryset=Direction.objects.all(),
        to_field_name="code",
        field_name="directions",
        empty_label=_("Toutes"),
        distinct=True,
    )
    statut = django_filters.ChoiceFilter(
        label=_("Statut"), choices=Project.Status.choices, field_name="status", empty_label=_("Tous")
    )
    origine = django_filters.ChoiceFilter(
        label=_("Origine"), choices=Project.Origin.choices, field_name="origin", empty_label=_("Toutes")
    )
    chef = django_filters.ModelChoiceFilter(
        label=_("Chef de projet"), queryset=User.objects.none(), field_name="lead", empty_label=_("Tous")
    )
    etiquette = django_filters.ModelMultipleChoiceFilter(
        label=_("Étiquettes"),
        queryset=Tag.objects.select_related("tag_set"),
        field_name="tags",
        distinct=True,
        widget=forms.CheckboxSelectMultiple,
    )
    sans_mouvement = DaysFilter(
        label=_("Sans mouvement depuis plus de (jours)"),
        method="without_movement",
        min_value=1,
        max_value=MAX_STALLED_DAYS,
        error_messages={"invalid": DAYS_ERROR, "min_value": DAYS_ERROR, "max_value": DAYS_ERROR},
        help_text=_("Projets en cours restés dans leur phase plus que ce nombre de jours (1 à 3 650)."),
        widget=forms.NumberInput(
            attrs={"min": 1, "max": MAX_STALLED_DAYS, "aria-describedby": "id_sans_mouvement_help"}
        ),
    )
    decision_demandee = CheckedFilter(
        label=_("Décision demandée à la direction générale"),
        method="with_decision_requested",
        widget=forms.CheckboxInput,
    )
    carte = django_filters.ChoiceFilter(
        label=_("Carte du portefeuille"),
        choices=[*effort.Quadrant.choices, (effort.INCOMPLETE, effort.INCOMPLETE_LABEL)],
        method="in_quadrant",
        empty_label=_("Tous les quadrants"),
        help_text=_(
            "« Gains rapides » : valeur attendue forte pour un effort léger. « À compléter » : valeur ou données "
            "de l'effort manquantes."
        ),
        widget=forms.Select(attrs={"aria-describedby": "id_carte_help"}),
    )
    debut_apres = django_filters.DateFilter(
        label=_("Début à partir du"), field_name="start_date", lookup_expr="gte", widget=DateInput()
    )
    debut_avant = django_filters.DateFilter(
        label=_("Début jusqu'au"), field_name="start_date", lookup_expr="lte", widget=DateInput()
    )
    tri = ProjectOrdering(
        label=_("Trier par"),
        fields=[
            ("title", "titre"),
            ("phase__order", "phase"),
            ("start_date", "debut"),
            ("updated_at", "maj"),
            ("status", "statut"),
        ],
        field_labels={
            "title": _("Titre"),
            "phase__order": _("Phase"),
            "start_date": _("Date de début"),
            "updated_at": _("Dernière mise à jour"),
            "status": _("Statut"),
        },
        empty_label=_("Dernière mise à jour"),
    )

    class Meta:
        model = Project
        form = ScopedChoicesForm  # the choices of the collectivité in scope only
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The people who lead at least one project the person may see: one index probe per person (EXISTS on
        # the lead column), not a scan of every visible project followed by a DISTINCT.
        leads_visible = self.queryset.order_by().filter(lead=OuterRef("pk"))
        leads = User.objects.filter(Exists(leads_visible)).order_by("last_name", "first_name")
        self.filters["chef"].queryset = leads

    def without_movement(self, queryset: QuerySet[Project], name: str, value: int | None) -> QuerySet[Project]:
        return queryset if value is None else stalled_since(queryset, value)

    def with_decision_requested(self, queryset: QuerySet[Project], name: str, value: bool) -> QuerySet[Project]:
        if not value:
            return queryset
        waiting = DecisionRequest.objects.filter(project=OuterRef("pk"), closed_at__isnull=True)
        return queryset.filter(Exists(waiting))

    def in_quadrant(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return effort.with_effort(queryset).filter(quadrant=value) if value else queryset

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        for word in folded(value).split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset
