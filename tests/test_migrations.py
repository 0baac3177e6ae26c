"""Data migrations carry frozen copies of what they load and of the code they run: editing a module of an app
never changes what an old migration does. Where the copies must agree with today's modules, they do."""

import ast
import importlib
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from tests.helpers import ROOT

OUR_APPS = {
    "accounts",
    "audit",
    "catalogue",
    "common",
    "contests",
    "innovation_portal",
    "portfolio",
    "reports",
    "surveys",
}
# The callables a schema migration names (upload paths, validators) are imported from the apps by Django itself.
IMPORTABLE = {"models", "validators"}

REFERENCE_MODELS = [
    ("portfolio", "Phase"),
    ("portfolio", "Domain"),
    ("portfolio", "InnovationObject"),
    ("portfolio", "AdoptionActor"),
    ("portfolio", "SuccessFactor"),
    ("portfolio", "TagSet"),
    ("portfolio", "Tag"),
    ("surveys", "Questionnaire"),
    ("surveys", "Section"),
    ("surveys", "Question"),
    ("surveys", "Choice"),
    ("surveys", "ReferenceValue"),
]


def migration(app: str, name: str):
    return importlib.import_module(f"{app}.migrations.{name}")


def imports_of(path: Path) -> list[tuple[str, bool]]:
    """The modules a file imports, each with whether the import is inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef):
            found += [(name, True) for inner in ast.walk(node) for name in _names(inner)]
        elif isinstance(node, ast.Module):
            found += [(name, False) for top in node.body for name in _names(top)]
    return found


def _names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module:
        return [node.module]
    return []


def test_no_migration_runs_code_or_loads_data_from_the_apps_live_modules():
    offending = []
    for path in sorted(ROOT.glob("*/migrations/[0-9]*.py")):
        for module, in_function in imports_of(path):
            package, _, rest = module.partition(".")
            if package in OUR_APPS and (in_function or rest not in IMPORTABLE):
                offending.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offending == [], "copy what the migration needs into it instead"


def snapshot() -> dict[str, list[dict]]:
    return {name: list(apps.get_model(app, name).objects.order_by("pk").values()) for app, name in REFERENCE_MODELS}


def test_the_data_migrations_load_the_reference_lists_and_questionnaire_that_the_modules_seed_today(db):
    """portfolio/reference.py and surveys/national.py seed the tests' databases after a flush and say what the
    lists are today: a change there without a new data migration (or the reverse) is caught here."""
    from portfolio.reference import seed_reference_data
    from surveys.national import seed_national_questionnaire

    for app, name in reversed(REFERENCE_MODELS):
        apps.get_model(app, name).objects.all().delete()
    migration("portfolio", "0002_reference_data").seed(apps, None)
    migration("portfolio", "0006_seed_adoption_actors").seed(apps, None)
    migration("surveys", "0002_national_questionnaire").seed(apps, None)
    migration("portfolio", "0017_english_reference_labels").translate(apps, None)
    migration("surveys", "0010_english_questionnaire").translate(apps, None)
    loaded = snapshot()
    assert all(loaded.values())

    seed_reference_data(apps)
    seed_national_questionnaire(apps)
    assert snapshot() == loaded


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, verbosity=0)


def _plain(counts: Counter) -> Counter:
    """Keys with the models' choices as plain strings, as the migration writes them."""
    return Counter({tuple(str(x) if isinstance(x, str) else x for x in key): n for key, n in counts.items() if n})


def test_the_frozen_counting_of_the_tallies_migration_gives_the_live_recount(demo):
    from surveys.models import Answer, Campaign, Response
    from surveys.tallies import tally_recount

    build = migration("surveys", "0006_build_tallies")
    campaigns = list(Campaign.objects.all())
    assert campaigns and Answer.objects.exists()
    for campaign in campaigns:
        assert _plain(build.campaign_counts(campaign.pk, Response, Answer)) == _plain(tally_recount(campaign=campaign))


def test_the_frozen_dated_states_migration_builds_the_periods_and_ranges_the_live_code_keeps(demo):
    from portfolio import periods
    from portfolio.models import GateDecision, Project, ProjectPeriod

    build = migration("portfolio", "0008_dated_states")
    fields = ("project_id", "starts_on", "ends_on", "phase_id", "status", "phase_since")
    # A project registered at its current phase (passages "reprise de l'existant", a field added after 0008)
    # is counted from that phase by the live code; when 0008 ran, no such passage could exist.
    taken_over = GateDecision.objects.filter(prior_existing=True).values("project_id")
    kept = sorted(ProjectPeriod.objects.exclude(project_id__in=taken_over).values_list(*fields))
    assert kept and GateDecision.objects.exists()
    ProjectPeriod.objects.all().delete()
    Project.history.update(history_until=None, history_began=None)
    assert periods.rebuild_state_ranges(check=True) > 0

    build.build_dated_states(apps, connection.schema_editor())
    assert sorted(ProjectPeriod.objects.exclude(project_id__in=taken_over).values_list(*fields)) == kept
    assert periods.rebuild_state_ranges(check=True) == 0
