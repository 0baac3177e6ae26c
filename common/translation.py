"""Reference data in two languages: a French column (the source) and an English one beside it.

Each translated field ``label`` has a ``label_en`` column; ``localized_label = Localized("label")`` on the
model reads the English one when the active language is English and it is written, the French one
otherwise. Reads that select values rather than models (``values()``, exports, counts) use
``localized_column``, the same choice made by the database. See docs/traduction.md.
"""

from __future__ import annotations

from typing import overload

from django.db import models
from django.db.models import Expression, F
from django.db.models import Value as V
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language


def in_english() -> bool:
    return (get_language() or "").startswith("en")


def pick(french: str, english: str | None) -> str:
    """The English text in English when there is one, else the French text."""
    return english if english and in_english() else french


class Localized:
    """A read-only attribute giving the field in the active language (``label_en`` in English, else ``label``)."""

    def __init__(self, field: str) -> None:
        self.field = field

    @overload
    def __get__(self, instance: None, owner: type) -> Localized: ...

    @overload
    def __get__(self, instance: models.Model, owner: type) -> str: ...

    def __get__(self, instance: models.Model | None, owner: type) -> Localized | str:
        if instance is None:
            return self
        return pick(getattr(instance, self.field), getattr(instance, f"{self.field}_en"))


def localized_column(path: str) -> Expression | F:
    """A query's column in the active language: ``path`` in French, ``path_en`` in English unless it is empty.

    For reads that select values rather than models (exports, dashboards); build it when the language is
    the request's (a streamed response's rows are read after the request has ended)."""
    if not in_english():
        return F(path)
    return Coalesce(NullIf(F(f"{path}_en"), V("")), F(path))
