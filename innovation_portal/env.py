"""Typed readers for the environment variables that configure the portal.

Each reader raises ``ConfigurationError`` with the variable's name and what was
expected, so a bad value stops the process at start with a message an IT team
can act on, instead of a traceback deep inside Django.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on", "oui", "vrai"}
FALSE_WORDS = {"0", "false", "no", "off", "non", "faux"}


class ConfigurationError(ImproperlyConfigured):
    """A variable of the environment has a value the portal cannot use."""


class Env:
    """Reads settings from a mapping (``os.environ`` by default)."""

    def __init__(self, source: Mapping[str, str] | None = None) -> None:
        self.source = os.environ if source is None else source

    def raw(self, name: str) -> str | None:
        value = self.source.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def text(self, name: str, default: str = "") -> str:
        value = self.raw(name)
        return default if value is None else value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        word = value.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ConfigurationError(f"{name}={value!r} is not a boolean: use true or false (or 1 / 0).")

    def integer(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigurationError(f"{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ConfigurationError(f"{name}={number} must be at least {minimum}.")
        return number

    def strings(self, name: str, default: list[str] | None = None) -> list[str]:
        value = self.raw(name)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(self, name: str, default: str, choices: set[str]) -> str:
        value = self.text(name, default)
        if value not in choices:
            allowed = ", ".join(sorted(choices))
            raise ConfigurationError(f"{name}={value!r} is not one of: {allowed}.")
        return value

    def url(self, name: str, schemes: set[str]) -> str | None:
        """A URL whose scheme is one of ``schemes``, or None when unset."""
        value = self.raw(name)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in schemes:
            allowed = ", ".join(sorted(f"{s}://" for s in schemes))
            raise ConfigurationError(
                f"{name} must start with one of {allowed} (got {parts.scheme or 'no scheme'}://...)."
            )
        if parts.scheme not in {"sqlite", "filesystem"} and not parts.hostname:
            raise ConfigurationError(f"{name} has no host name.")
        return value

    def origins(self, name: str) -> list[str]:
        """Origins such as ``https://innovation.example.fr``, for CSRF_TRUSTED_ORIGINS."""
        origins = self.strings(name)
        for origin in origins:
            parts = urlsplit(origin)
            if parts.scheme not in {"http", "https"} or not parts.netloc:
                raise ConfigurationError(f"{name}: {origin!r} is not an origin like https://portail.example.fr.")
        return origins

    def path(self, name: str, default: Path) -> Path:
        value = self.raw(name)
        return default if value is None else Path(value).expanduser().resolve()


def read_or_create_secret(path: Path) -> str:
    """Development only: a secret key generated once and kept under var/."""
    from django.core.management.utils import get_random_secret_key

    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = get_random_secret_key()
    path.write_text(secret)
    path.chmod(0o600)
    return secret
