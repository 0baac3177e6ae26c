#!/usr/bin/env python
"""Django's command-line utility for the innovation portal."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovation_portal.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from innovation_portal.env import ConfigurationError

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reads the settings now to report bad values clearly
    except ConfigurationError as error:
        sys.exit(f"Configuration error: {error}\nSee .env.example for every variable.")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
