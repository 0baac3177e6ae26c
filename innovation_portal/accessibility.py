"""The portal's accessibility statement (RGAA model): its conformity level, said once for every footer."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Conformity(models.TextChoices):
    """The three levels French law allows a statement to declare (loi n° 2005-102, article 47)."""

    NONE = "non", _("non conforme")
    PARTIAL = "partiel", _("partiellement conforme")
    FULL = "total", _("totalement conforme")


# Change both together, after the checks of docs/interface.md (« Déclaration d'accessibilité »). Without a
# complete audit of the RGAA criteria, the RGAA method asks for « non conforme », whatever the automated checks.
CONFORMITY = Conformity.NONE
STATEMENT_DATE = datetime.date(2026, 11, 30)
RGAA_VERSION = "4.1.2"

# The pages the browser tests scan with axe-core at 320 and 1,280 px (tests/browser/test_conformance.py).
AUDITED_PAGES = [
    _("Connexion et mot de passe oublié"),
    _("Accueil de chaque rôle (direction générale, chef de projet, agent, jury, comité de pilotage)"),
    _("Liste des projets, vue par phase, mes projets"),
    _("Page d'un projet, création et décisions de phase"),
    _("Liste des concours, page d'un concours, dépôt d'une idée"),
    _("Enquêtes : campagnes, réponse au questionnaire, résultats"),
    _("Tableaux de bord"),
    _("Rapports trimestriels"),
    _("Journal des actions"),
    _("Notifications et compte"),
    _("Déclaration d'accessibilité"),
]
