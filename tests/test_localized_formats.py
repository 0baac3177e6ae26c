"""Dates and numbers go through Django's localisation: no hand-written date format in a template or in the code
that people read (CSV files keep their documented fixed format, machine attributes keep ISO)."""

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
FORMAT_NAMES = {"DATE_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATETIME_FORMAT", "YEAR_MONTH_FORMAT"}
MACHINE_FORMATS = {"c", "Y-m-d"}  # datetime="…" attributes
# Files whose fixed formats are an interface (docs/exports.md), or frozen migrations.
FIXED = {"common/exports.py", "portfolio/exports.py", "surveys/exports.py"}


def test_templates_write_dates_with_format_names():
    literal = re.compile(r"""\|date:["']([^"']*)["']""")
    found = [
        f"{path.relative_to(ROOT)}: {fmt}"
        for path in (ROOT / "templates").rglob("*.*")
        for fmt in literal.findall(path.read_text())
        if fmt not in FORMAT_NAMES | MACHINE_FORMATS
    ]
    assert found == []


def test_the_code_formats_no_date_by_hand():
    apps = ["accounts", "audit", "common", "contests", "innovation_portal", "portfolio", "reports", "surveys"]
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in apps
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and str(path.relative_to(ROOT)) not in FIXED
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "strftime(" in line or re.search(r"[:]%d/%m/%Y", line)
    ]
    assert found == []


def test_numbers_and_long_dates_follow_the_language():
    import datetime
    from decimal import Decimal

    template = Template("{% load portal %}{{ n|number }} {{ m|euros }} {{ d|long_date }}")
    context = Context({"n": 12345, "m": Decimal("1500.5"), "d": datetime.date(2026, 7, 1)})
    with translation.override("fr"):
        assert template.render(context) == "12\u202f345 1\u202f500,50\u00a0€ 1er juillet 2026"
    with translation.override("en"):
        assert template.render(context) == "12,345 1,500.50\u00a0€ July 1, 2026"
