"""The English translation stays complete: every French string of the code has its English."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_string_has_an_english_translation(tmp_path):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("gettext is not installed: run `make test`, which installs it.")
        pytest.skip("gettext is not installed")
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", "var", "__pycache__", "node_modules"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "--no-obsolete", "-v", "0"],
        cwd=copy,
        env={**os.environ, "VAR_DIR": str(tmp_path / "var")},
        check=True,
        timeout=120,
    )
    catalogue = polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))
    untranslated = [entry.msgid for entry in catalogue if not entry.translated()]
    assert untranslated == [], "Translate these in locale/en/LC_MESSAGES/django.po"


def test_french_plurals_follow_the_french_rule(client, agent):
    """In French, 0 takes the singular: "0 projet", never "0 projets"."""
    import re

    client.force_login(agent)
    page = client.get("/projets/?q=introuvable").content.decode()
    heading = re.search(r'<h2 id="results-title"[^>]*>\s*(.*?)\s*</h2>', page, re.S).group(1)
    assert heading == "0 projet"


def test_every_plural_has_its_french_forms():
    catalogue = polib.pofile(str(ROOT / "locale/fr/LC_MESSAGES/django.po"))
    assert "plural=(n > 1)" in catalogue.metadata["Plural-Forms"]
    missing = [e.msgid for e in catalogue if e.msgid_plural and not all(e.msgstr_plural.values())]
    assert missing == [], "Run `make translations` (tools/french_plurals.py)"
