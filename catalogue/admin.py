from django.contrib import admin

from catalogue.models import Publication
from common.admin import ReadOnlyAdmin


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    """Publications are written by the portal only (publish, withdraw: docs/essaimage.md); the admin shows them."""

    list_display = ["title", "organisation", "network", "published_at", "withdrawn_at"]
    list_filter = ["network"]
    search_fields = ["title"]
    list_select_related = ["organisation", "network"]
