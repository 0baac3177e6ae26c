"""Reads of the accounts app."""

from django.db.models import QuerySet

from accounts.models import User


def active_people() -> QuerySet[User]:
    """The people who can be picked as lead, co-author, juror or team member, by name."""
    return User.objects.filter(is_active=True).order_by("last_name", "first_name")
