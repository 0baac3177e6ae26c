"""A common-password rule for French speakers.

Django's list of common passwords is drawn from English-speaking leaks: it lets
through "motdepasse123" or "Azerty2026!". This validator strips the digits and
symbols people add around a word and refuses the word if it is a common French
password or a name of the calendar.
"""

import re
import unicodedata
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WORDS_FILE = Path(__file__).resolve().parent / "data" / "common-passwords-fr.txt"
FRENCH_COMMON_WORDS = frozenset(
    line.strip() for line in WORDS_FILE.read_text().splitlines() if line.strip() and not line.startswith("#")
)


def _core_word(password: str) -> str:
    """'Azerty2026!' -> 'azerty': lower case, no accents, digits and symbols stripped around."""
    plain = unicodedata.normalize("NFKD", password).encode("ascii", "ignore").decode().lower()
    return re.sub(r"^[\W\d_]+|[\W\d_]+$", "", plain).replace("-", "").replace(" ", "")


class FrenchCommonPasswordValidator:
    def validate(self, password: str, user: object = None) -> None:
        core = _core_word(password)
        if core in FRENCH_COMMON_WORDS:
            raise ValidationError(_("Ce mot de passe est trop courant."), code="password_too_common")
        names = {
            _core_word(str(getattr(user, attribute, "") or "")) for attribute in ("username", "first_name", "last_name")
        }
        if core and core in names - {""}:
            raise ValidationError(
                _("Ce mot de passe reprend votre identifiant ou votre nom."), code="password_too_similar"
            )

    def get_help_text(self) -> str:
        return _("Votre mot de passe ne peut pas être un mot de passe couramment utilisé.")
