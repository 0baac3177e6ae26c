"""Helpers shared by tests that start the portal in a subprocess."""

import os


def clean_environ(**overrides: str) -> dict[str, str]:
    """The environment for a subprocess of the portal: no variable of this test run leaks into it."""
    leaked = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    environ = {key: value for key, value in os.environ.items() if key not in leaked}
    environ["DJANGO_SETTINGS_MODULE"] = "innovation_portal.settings"
    environ.update(overrides)
    return environ
