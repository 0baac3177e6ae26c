import pytest
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import Direction, Organisation, User
from accounts.roles import Role


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_creates_one_account_per_role_and_is_idempotent(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (Organisation.objects.count(), Direction.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Organisation.objects.count(), Direction.objects.count(), User.objects.count()) == counts
    expected = {
        "dgs": Role.DGS,
        "cheffe": Role.PROJECT_LEAD,
        "agent": Role.AGENT,
        "jury": Role.JURY,
        "copil": Role.COPIL,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.has_role(role)
        assert user.direction is not None
    assert "dgs      Demo-Innovation-2026" in capsys.readouterr().out


def test_seed_demo_with_force_runs_in_production(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert User.objects.filter(username="copil").exists()


def test_the_plain_demo_serves_one_collectivite_that_owns_everything(db, settings):
    from portfolio.models import Project

    settings.DEBUG = True
    call_command("seed_demo")
    organisation = Organisation.objects.get()
    assert not User.objects.exclude(organisation=organisation).exclude(is_superuser=True).exists()
    assert Project.objects.exists()
    assert not Project.objects.exclude(organisation=organisation).exists()


def test_two_accounts_cannot_share_an_email(make_user):
    from django.db import IntegrityError, transaction

    make_user(email="claire@ville.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user(username="autre", email="CLAIRE@ville.example")
