"""Settings come from the environment; a bad value stops the start with a clear message."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from innovation_portal.env import ConfigurationError, Env
from tests.helpers import clean_environ

ROOT = Path(__file__).resolve().parent.parent


def test_booleans_accept_french_and_english_words():
    env = Env({"A": "oui", "B": "False", "C": "1"})
    assert (env.boolean("A", False), env.boolean("B", True), env.boolean("C", False)) == (True, False, True)
    assert env.boolean("MISSING", True) is True


@pytest.mark.parametrize(
    ("source", "read", "message"),
    [
        ({"DEBUG": "peut-être"}, lambda env: env.boolean("DEBUG", True), "DEBUG='peut-être' is not a boolean"),
        (
            {"EMAIL_PORT": "vingt"},
            lambda env: env.integer("EMAIL_PORT", 25),
            "EMAIL_PORT='vingt' is not a whole number",
        ),
        ({"SESSION_IDLE_MINUTES": "0"}, lambda env: env.integer("SESSION_IDLE_MINUTES", 60, minimum=1), "at least 1"),
        (
            {"DATABASE_URL": "mysql://db/portal"},
            lambda env: env.url("DATABASE_URL", {"postgres", "sqlite"}),
            "DATABASE_URL must start with one of postgres://, sqlite://",
        ),
        ({"REDIS_URL": "redis://"}, lambda env: env.url("REDIS_URL", {"redis"}), "REDIS_URL has no host name"),
        (
            {"CSRF_TRUSTED_ORIGINS": "portail.example.fr"},
            lambda env: env.origins("CSRF_TRUSTED_ORIGINS"),
            "is not an origin like https://",
        ),
        ({"LOG_LEVEL": "bavard"}, lambda env: env.choice("LOG_LEVEL", "INFO", {"INFO", "DEBUG"}), "is not one of"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(source, read, message):
    with pytest.raises(ConfigurationError, match=message):
        read(Env(source))


def test_lists_ignore_blanks():
    assert Env({"ALLOWED_HOSTS": " a.fr, ,b.fr "}).strings("ALLOWED_HOSTS") == ["a.fr", "b.fr"]


def run_manage(tmp_path: Path, *args: str, **environ: str) -> subprocess.CompletedProcess:
    """Starts manage.py in a clean environment, as an IT team would."""
    env = clean_environ(VAR_DIR=str(tmp_path), **environ)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "production-secret-key-for-the-test-only-0123456789",
    "ALLOWED_HOSTS": "innovation.example.fr",
}


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"DEBUG": "false", "ALLOWED_HOSTS": "x.fr"}, "SECRET_KEY is required when DEBUG is off"),
        ({**PRODUCTION, "SECRET_KEY": "court"}, "SECRET_KEY must be at least 50 random characters"),
        ({**PRODUCTION, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is required when DEBUG is off"),
        ({"DATABASE_URL": "mysql://localhost/portal"}, "DATABASE_URL must start with one of"),
        ({"REDIS_URL": "amqp://localhost"}, "REDIS_URL must start with one of redis://, rediss://"),
        ({"DEBUG": "peut-être"}, "DEBUG='peut-être' is not a boolean"),
    ],
)
def test_start_fails_with_a_clear_message_on_a_bad_value(tmp_path, environ, message):
    result = run_manage(tmp_path, "check", **environ)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = run_manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_production_sends_hsts_and_secure_cookies(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    result = run_manage(tmp_path, "shell", "-c", code, **PRODUCTION)
    assert result.stdout.split()[-4:] == ["31536000", "True", "True", "True"]


def test_development_secret_key_is_generated_once_and_kept(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_manage(tmp_path, "shell", "-c", code).stdout.split()[-1]
    second = run_manage(tmp_path, "shell", "-c", code).stdout.split()[-1]
    assert first == second == (tmp_path / "secret_key").read_text()
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_named_by_database_url():
    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


TOOLBAR_LOADED = "from django.conf import settings; print('debug_toolbar' in settings.INSTALLED_APPS)"


def test_the_debug_toolbar_is_never_loaded_in_production_even_when_asked(tmp_path):
    result = run_manage(tmp_path, "shell", "-v", "0", "-c", TOOLBAR_LOADED, **PRODUCTION, DEBUG_TOOLBAR="true")
    assert result.stdout.split() == ["False"], result.stderr


def test_the_debug_toolbar_is_loaded_in_development_only_when_asked(tmp_path):
    assert run_manage(tmp_path, "shell", "-v", "0", "-c", TOOLBAR_LOADED).stdout.split() == ["False"]
    asked = run_manage(tmp_path, "shell", "-v", "0", "-c", TOOLBAR_LOADED, DEBUG_TOOLBAR="true")
    if importlib.util.find_spec("debug_toolbar") is None:  # requirements-dev.txt not installed yet
        assert "DEBUG_TOOLBAR=true needs django-debug-toolbar" in asked.stderr
    else:
        assert asked.stdout.split() == ["True"], asked.stderr


def test_the_tests_never_load_the_debug_toolbar(settings):
    assert not settings.DEBUG_TOOLBAR
    assert not [name for name in [*settings.INSTALLED_APPS, *settings.MIDDLEWARE] if "debug_toolbar" in name]
