from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext as _

from common import tenancy

# Names a browser sends with any of our forms besides the fields themselves.
TRANSPORT_FIELDS = {"csrfmiddlewaretoken", "next", "submit", "draft", "action", "from"}

if TYPE_CHECKING:
    _Form = forms.BaseForm  # the mixin is always put before a Form or a ModelForm
else:
    _Form = object


class ScopedChoicesMixin(_Form):
    """The choices of every field that offers rows (people, directions, campaigns…) are the collectivité's in scope.

    A field declared with ``queryset=Direction.objects.all()``, or made by a ModelForm from a foreign key, holds a
    queryset built when its module was imported, outside any scope: it would offer every collectivité's rows.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                field.queryset = tenancy.narrowed(queryset)  # type: ignore[attr-defined]  # a ModelChoiceField


class ScopedChoicesForm(ScopedChoicesMixin, forms.Form):
    """The form of the filters (django-filter's ``Meta.form``): their querysets are made at import too."""


class StrictFormMixin(ScopedChoicesMixin, _Form):
    """Refuses a submission that carries a field the form does not offer.

    A ModelForm silently ignores unknown fields; a person who posts ``status`` or
    ``lead`` to a form that does not offer them is told so, and nothing is saved.
    """

    def clean(self) -> dict[str, Any]:
        # Django's Form.clean and ModelForm.clean return cleaned_data (the stubs allow None for overrides).
        cleaned = cast(dict[str, Any], super().clean())
        allowed = set(self.fields) | TRANSPORT_FIELDS
        for name, field in self.fields.items():  # e.g. the search field of a people picker
            companions = getattr(field.widget, "companion_names", None)
            allowed |= companions(name) if companions else set()
        prefix = f"{self.prefix}-" if self.prefix else ""
        unexpected = sorted(
            name.removeprefix(prefix)
            for name in self.data
            if name.removeprefix(prefix) not in allowed and name.startswith(prefix)
        )
        if unexpected:
            raise forms.ValidationError(
                _("Ce formulaire ne permet pas de modifier : %(fields)s. Rien n'a été enregistré."),
                code="unexpected_fields",
                params={"fields": ", ".join(unexpected)},
            )
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)
