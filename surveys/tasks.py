"""Celery tasks of the surveys: thin, with time limits."""

from celery import shared_task

from surveys.editions import editions_check_all
from surveys.tallies import tallies_check_all


@shared_task(soft_time_limit=1800, time_limit=1900)  # type: ignore[untyped-decorator]  # celery has no type information
def check_survey_tallies() -> int:
    """The nightly check of the kept counts against a recount; each difference is logged as an error."""
    return sum(tallies_check_all().values())


@shared_task(soft_time_limit=1800, time_limit=1900)  # type: ignore[untyped-decorator]  # celery has no type information
def check_edition_tallies() -> int:
    """The nightly recount of the national editions' kept counts: each difference is logged, then repaired."""
    return sum(editions_check_all(repair=True).values())
