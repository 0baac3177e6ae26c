"""Fills the French catalogue's plural forms from the French source strings.

Our source strings are French, so the French catalogue needs no translation except for
plurals: without it, gettext would apply the English rule and write "0 projets".
Run by `make translations`, after makemessages.
"""

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/fr/LC_MESSAGES/django.po"


def main() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    catalogue.metadata_is_fuzzy = False
    catalogue.metadata["Plural-Forms"] = "nplurals=2; plural=(n > 1);"
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        elif entry.msgstr != entry.msgid:
            entry.msgstr = ""  # the French source string is the French text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save()


if __name__ == "__main__":
    main()
