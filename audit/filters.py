from typing import Any

import django_filters
from django.apps import apps
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import AuditEntry, object_type_label
from common.forms import DateInput, ScopedChoicesForm

# The apps whose objects the journal names: ours, and Django's groups (the roles).
AUDITED_APPS = ("accounts", "portfolio", "contests", "surveys", "reports", "catalogue")


def object_type_choices() -> list[tuple[str, str]]:
    """The types of object the journal can name, by their French name; read from the code, not the table
    (a DISTINCT over millions of entries on every page)."""
    models = [model for model in apps.get_models() if model._meta.app_label in AUDITED_APPS]
    names = [model._meta.label_lower for model in models if not model._meta.label_lower.endswith("historicalproject")]
    return sorted(((name, object_type_label(name)) for name in [*names, "auth.group"]), key=lambda c: c[1])


class JournalFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter has no type information
    """The filters of /journal/; French names make bookmarkable URLs."""

    type = django_filters.ChoiceFilter(label=_("Type d'objet"), field_name="object_type", empty_label=_("Tous"))
    objet = django_filters.CharFilter(
        label=_("N° de l'objet"), field_name="object_id", max_length=64, help_text=_("Avec le type d'objet.")
    )
    nom = django_filters.CharFilter(
        label=_("Nom de l'objet contient"), field_name="object_label", lookup_expr="icontains", max_length=100
    )
    personne = django_filters.ModelChoiceFilter(
        label=_("Personne"), queryset=User.objects.none(), field_name="actor", empty_label=_("Toutes")
    )
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditEntry.Action.choices, empty_label=_("Toutes"))
    du = django_filters.DateFilter(label=_("Du"), field_name="at", lookup_expr="date__gte", widget=DateInput())
    au = django_filters.DateFilter(label=_("Au"), field_name="at", lookup_expr="date__lte", widget=DateInput())
    tri = django_filters.ChoiceFilter(
        label=_("Ordre"),
        choices=[("ancien", _("Les plus anciennes d'abord"))],
        empty_label=_("Les plus récentes d'abord"),
        method="sort",
    )

    class Meta:
        model = AuditEntry
        form = ScopedChoicesForm  # the choices of the collectivité in scope only
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["type"].extra["choices"] = object_type_choices()
        # The people who did at least one recorded action: one index probe per account.
        actors = User.objects.filter(Exists(AuditEntry.objects.order_by().filter(actor=OuterRef("pk"))))
        self.filters["personne"].queryset = actors.order_by("last_name", "first_name", "username")

    def sort(self, queryset: QuerySet[AuditEntry], name: str, value: str) -> QuerySet[AuditEntry]:
        return queryset.order_by("at", "id") if value == "ancien" else queryset
