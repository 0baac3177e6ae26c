"""Sorting text the French way on both databases.

PostgreSQL compares with the ICU collation ``fr_portail`` (created by ``portfolio/0012``): accents, case and
"œ" as a reader of a French index expects, numbers by value ("Lot 2" before "Lot 10"). SQLite has no such
collation: it sorts on a folded copy of the text (lower case, no accents) kept next to it, then on the text.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import Expression, F, OrderBy, QuerySet
from django.db.models.functions import Collate

FRENCH_COLLATION = "fr_portail"


def french_order(queryset: QuerySet[Any], field: str, folded_field: str, *, descending: bool = False) -> list[OrderBy]:
    """The ``order_by`` terms that sort ``queryset`` on ``field`` in French order, ``pk`` breaking ties."""
    if connections[queryset.db].vendor == "postgresql":
        terms: list[Expression | F] = [Collate(F(field), FRENCH_COLLATION)]
    else:
        terms = [F(folded_field), F(field)]
    terms.append(F("pk"))
    return [term.desc() if descending else term.asc() for term in terms]
