"""A people picker that works by keyboard, with a screen reader and without JavaScript.

A list of checkboxes (the people already chosen first) under a search field. Without JavaScript, the
"Chercher" button sends the form back to the page, which shows it again as typed (nothing saved), the
list narrowed to the people whose name contains the search; with ``static/common/people_picker.js``
the list narrows while one types. The chosen people always stay in the list, so a search never drops
one of them.
"""

from collections.abc import Mapping
from typing import Any

from django import forms

from common.validators import folded

SEARCH_SUFFIX = "-recherche"  # the search field, named after the picker's field: "jury-recherche"
BUTTON_SUFFIX = "-chercher"  # its button


def search_requested(data: Mapping[str, object]) -> bool:
    """Whether the form was sent by the "Chercher" button of a picker: show it again, save nothing."""
    return any(name.endswith(BUTTON_SUFFIX) for name in data)


class PeoplePicker(forms.CheckboxSelectMultiple):
    """Checkboxes of people with a search field; rendered by ``templates/includes/people_picker.html``."""

    query = ""
    chosen_count = 0
    found_count = 0

    @staticmethod
    def companion_names(name: str) -> set[str]:
        """The names the picker sends besides the field's own, which a strict form accepts."""
        return {f"{name}{SEARCH_SUFFIX}", f"{name}{BUTTON_SUFFIX}"}

    def value_from_datadict(self, data: Mapping[str, object], files: Any, name: str) -> object:
        self.query = str(data.get(f"{name}{SEARCH_SUFFIX}") or "").strip()[:100]
        return super().value_from_datadict(data, files, name)

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None) -> list[Any]:
        """One group: the chosen people, then the others whose name matches the search (all without one)."""
        groups = super().optgroups(name, value, attrs)
        options = [option for _group, group_options, _index in groups for option in group_options]
        wanted = folded(self.query)
        chosen = [option for option in options if option["selected"]]
        found = [option for option in options if not option["selected"] and wanted in folded(str(option["label"]))]
        self.chosen_count, self.found_count = len(chosen), len(found)
        return [(None, chosen + found, 0)]
