"""Quarters such as 2026Q3: parsing, bounds, the previous one, a French label."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

PATTERN = re.compile(r"^(\d{4})[Qq-]?T?([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """'2026Q3' (also '2026-3' or '2026T3'); ValueError with a French message otherwise."""
        match = PATTERN.match(text.strip())
        if not match:
            raise ValueError(_("« %(text)s » n'est pas un trimestre : écrivez par exemple 2026Q3.") % {"text": text})
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def label(self) -> str:
        ordinal = {1: _("1er trimestre"), 2: _("2e trimestre"), 3: _("3e trimestre"), 4: _("4e trimestre")}
        return f"{ordinal[self.number]} {self.year}"

    def __str__(self) -> str:
        return self.code


def recent_quarters(today: datetime.date, count: int = 8) -> list[Quarter]:
    """The current quarter and the ones before it, newest first."""
    quarters = [Quarter.containing(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters
