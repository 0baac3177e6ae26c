"""The one mechanism that keeps each collectivité's data to itself.

Every row of a collectivité (project, idea, contest, campaign, report, audit entry…) is read through a
``ScopedManager``: its queryset is filtered on the *scope* of the moment, a context variable set

- for each web request by ``innovation_portal.middleware.OrganisationScopeMiddleware``: the signed-in
  person's collectivité; nobody's (no member row at all) for a network animateur and for an anonymous
  visitor of a network deployment; the collectivité itself when the deployment serves only one;
- for each Celery task by the signals below: the scope of the request or task that queued it;
- by hand with ``scoped(organisation)``: a command, or a view that finds its collectivité in a token.

Outside all of these (a periodic task, the shell, a migration, a test) there is no scope and the managers
read every collectivité: code that reads across collectivités on purpose (the network's aggregates, the
recount of the national edition) says so with ``unscoped()``.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models

if TYPE_CHECKING:
    from accounts.models import Organisation

_M = TypeVar("_M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """Whose rows can be read: one collectivité's (``organisation_id``), or none (``organisation_id=None``).

    ``sole`` is the scope of an anonymous visitor: the deployment's collectivité when it serves only one,
    nobody's when it serves several (found by a subquery, so that it costs no query of its own).
    """

    organisation_id: int | None
    sole: bool = False


NOBODY = Scope(organisation_id=None)
SOLE = Scope(organisation_id=None, sole=True)
_current: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("organisation_scope", default=None)


def current_scope() -> Scope | None:
    return _current.get()


def current_organisation_id() -> int | None:
    """The id of the collectivité in scope; ``None`` outside any or within nobody's."""
    scope = _current.get()
    if scope is not None and scope.sole:
        return sole_organisation().first()
    return scope.organisation_id if scope else None


def activate(scope: Scope | None) -> contextvars.Token[Scope | None]:
    return _current.set(scope)


def deactivate(token: contextvars.Token[Scope | None]) -> None:
    _current.reset(token)


@contextlib.contextmanager
def scoped(organisation: Organisation | int | None) -> Iterator[None]:
    """Within the block, only ``organisation``'s rows are read (none if it is ``None``)."""
    organisation_id = organisation if isinstance(organisation, int) or organisation is None else organisation.pk
    token = activate(Scope(organisation_id))
    try:
        yield
    finally:
        deactivate(token)


@contextlib.contextmanager
def unscoped() -> Iterator[None]:
    """Within the block, every collectivité's rows are read: for the network's aggregates and the system."""
    token = activate(None)
    try:
        yield
    finally:
        deactivate(token)


class ScopedQuerySet(models.QuerySet[_M], Generic[_M]):
    """A queryset filtered on the scope in which it is first used.

    A queryset built with no scope — at import time, for a form's field (``ModelChoiceField``, the
    ``ForeignKey`` of a ``ModelForm``, a filter's choices) — is not a queryset of every collectivité: the
    first copy made of it within a scope (each form copies its fields' querysets when it is built, every
    ``filter``/``all`` copies) takes the scope's filter. One built within a scope keeps its filter.
    """

    scope_path = "organisation"
    scope_applied = False

    def _clone(self) -> Any:
        clone = super()._clone()  # type: ignore[misc]  # a private method of QuerySet, stable since Django 1.x
        clone.scope_path, clone.scope_applied = self.scope_path, self.scope_applied
        if not clone.scope_applied:
            clone.apply_scope()
        return clone

    def apply_scope(self) -> None:
        """Adds the scope's filter to this queryset in place (none outside any scope: done at the next copy)."""
        scope = _current.get()
        if scope is None:
            return
        self.scope_applied = True
        condition = self.scope_condition(scope)
        if condition is None:
            self.query.set_empty()
        else:
            self.query.add_q(condition)

    def scope_condition(self, scope: Scope) -> models.Q | None:
        """The rows of the scope's collectivité; ``None`` within nobody's (no row at all)."""
        if scope.sole:
            return models.Q(**{f"{self.scope_path}__in": sole_organisation()})
        if scope.organisation_id is None:
            return None
        return models.Q(**{self.scope_path: scope.organisation_id})


class ScopedManager(models.Manager[_M], Generic[_M]):
    """The rows of the collectivité in scope; ``path`` leads from the model to its collectivité's id.

    A class attribute, not an argument: Django builds the related managers (``contest.ideas``) by
    subclassing the default manager's class and calling it without arguments; see ``ThroughProject``…
    A model with its own queryset class makes it a subclass of ``ScopedQuerySet``.
    """

    path = "organisation"
    _queryset_class = ScopedQuerySet

    def get_queryset(self) -> models.QuerySet[_M]:
        queryset = super().get_queryset()
        assert isinstance(queryset, ScopedQuerySet), f"{queryset.__class__} must derive from ScopedQuerySet"
        queryset.scope_path = self.path
        queryset.apply_scope()
        return queryset

    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        """As ``QuerySet.bulk_create``, the new rows of a collectivité given the one in scope (no ``save`` runs)."""
        objs = list(objs)
        owned: list[Any] = [obj for obj in objs if isinstance(obj, OwnedByOrganisation)]
        unowned = [obj for obj in owned if obj.organisation_id is None and obj.belongs_to_a_collectivite()]
        if unowned:
            organisation_id = default_organisation_id()
            for obj in unowned:
                obj.organisation_id = organisation_id
        return super().bulk_create(objs, *args, **kwargs)


class SharedOrOwnQuerySet(ScopedQuerySet[_M], Generic[_M]):
    """The rows shared by every collectivité (no ``organisation``) and those of the collectivité in scope."""

    def scope_condition(self, scope: Scope) -> models.Q:
        shared = models.Q(**{f"{self.scope_path}__isnull": True})
        own = super().scope_condition(scope)
        return shared if own is None else shared | own


class SharedOrOwnManager(ScopedManager[_M]):
    """The manager of a list every collectivité starts from and completes with its own entries (domains…)."""

    _queryset_class = SharedOrOwnQuerySet


class SharedOrOwned:
    """Mixin of those lists: an entry added within a collectivité's scope is its own; outside any, shared."""

    organisation_id: int | None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.organisation_id is None:  # type: ignore[attr-defined]  # a models.Model
            self.organisation_id = current_organisation_id()
        super().save(*args, **kwargs)  # type: ignore[misc]  # a mixin of models.Model


# The managers of the models whose collectivité is found through another row (classes, not instances built
# from a path at run time, so that Django's related managers and the type checker both see them).


class ThroughCampaign(ScopedManager[_M]):
    path = "campaign__organisation"


class ThroughContest(ScopedManager[_M]):
    path = "contest__organisation"


class ThroughIdeaContest(ScopedManager[_M]):
    path = "idea__contest__organisation"


class ThroughIndicatorProject(ScopedManager[_M]):
    path = "indicator__project__organisation"


class ThroughLead(ScopedManager[_M]):
    path = "lead__organisation"


class ThroughProject(ScopedManager[_M]):
    path = "project__organisation"


class ThroughResponseCampaign(ScopedManager[_M]):
    path = "response__campaign__organisation"


class ThroughTagSet(SharedOrOwnManager[_M]):
    path = "tag_set__organisation"


class ThroughUser(ScopedManager[_M]):
    path = "user__organisation"


def narrowed(queryset: models.QuerySet[_M]) -> models.QuerySet[_M]:
    """``queryset`` kept to the scope of the moment: a copy, which takes the scope's filter if it was built with
    none (``ScopedQuerySet``). The forms copy their fields' querysets so (``common.forms.ScopedChoicesMixin``)."""
    return queryset.all()


def sole_organisation() -> models.QuerySet[Organisation, int]:
    """The id of the deployment's collectivité if it serves only one, else nothing: a subquery."""
    from accounts.models import Organisation

    others = Organisation.objects.exclude(pk=models.OuterRef("pk"))
    return Organisation.objects.filter(~models.Exists(others)).values_list("pk", flat=True)


def default_organisation_id() -> int | None:
    """The default of every ``organisation`` field: the collectivité in scope, else the deployment's first.

    A deployment that serves one collectivité never names it: its rows go to the only one there is, created
    under a neutral name the first time it is needed (the DGS renames it in the administration). Within the
    scope of nobody (an animateur, an anonymous visitor of a network) there is none: a row that needs one
    cannot be written there by mistake.
    """
    scope = _current.get()
    if scope is not None and scope.sole:
        return sole_organisation().first()
    if scope is not None:
        return scope.organisation_id
    from accounts.models import Organisation

    return Organisation.default().pk


class OwnedByOrganisation:
    """Mixin of the models that belong to a collectivité directly (the others belong to one of these).

    A new row belongs to the collectivité in scope (``default_organisation_id``), from its validation on:
    a form's uniqueness checks (a contest's address within its collectivité) compare it with its own.
    """

    organisation_id: int | None

    def fill_organisation(self) -> None:
        if self.organisation_id is None and self.belongs_to_a_collectivite():
            self.organisation_id = default_organisation_id()

    def belongs_to_a_collectivite(self) -> bool:
        return True

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        self.fill_organisation()
        super().full_clean(*args, **kwargs)  # type: ignore[misc]  # a mixin of models.Model

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        self.fill_organisation()
        if exclude and self.organisation_id is not None:
            exclude = set(exclude) - {"organisation"}
        super().validate_constraints(exclude)  # type: ignore[misc]  # a mixin of models.Model

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_organisation()
        super().save(*args, **kwargs)  # type: ignore[misc]  # a mixin of models.Model
