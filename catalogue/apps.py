from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue du réseau et essaimage")
    # The direction générale publishes its collectivité's projects to the network and withdraws them
    # (docs/essaimage.md); anyone who may create a project replicates a publication.
    role_permissions = {Role.DGS: ["catalogue.add_publication", "catalogue.change_publication"]}

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from catalogue import services
        from portfolio.models import Project

        # A project made restricted leaves the catalogue at once, whoever changed it and however.
        post_save.connect(services.project_saved, sender=Project, dispatch_uid="catalogue.restricted_withdrawn")
