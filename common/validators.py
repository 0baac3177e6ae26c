import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A tag opening: "<" directly followed by a letter, "/", "!" or "?". "délai < 5 jours" stays allowed.
HTML_TAG = re.compile(r"<\s*[a-zA-Z!/?]")


def no_html(value: str) -> None:
    """Refuses text that carries HTML or script: the portal shows text, never markup."""
    if value and HTML_TAG.search(value):
        raise ValidationError(
            _(
                "Le texte ne peut pas contenir de balises HTML ou de script (« < » suivi d'une lettre). "
                "Reformulez sans balises."
            ),
            code="html",
        )


def plausible_date(value: date | None) -> None:
    """Refuses dates a typing slip produces (0001-01-01, 9999-12-31): the portal deals with 2000-2100."""
    if value and not 2000 <= value.year <= 2100:
        raise ValidationError(
            _("Vérifiez cette date : elle doit être comprise entre l'an 2000 et l'an 2100."), code="implausible_date"
        )


def folded(text: str) -> str:
    """Lower case without accents, for searches that find "Éclairage" when one types "eclairage"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
