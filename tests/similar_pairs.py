"""Pairs of idea and project titles, for the relevance of the similar-title suggestions (common/similar.py).

``DUPLICATES``: the same idea written otherwise (accents, plurals, word order, small words, a typo, a longer title
around the same words); it should be suggested. ``UNRELATED``: different ideas, several of them sharing a word with
each other; they should not. Written by hand, without synonyms: the matching is on words, not on meaning.
"""

DUPLICATES = [
    ("Covoiturage entre agents", "Covoiturage des agents"),
    ("Covoiturage des agents", "Plateforme de covoiturage pour les agents"),
    ("covoitrage entre agents", "Covoiturage des agents"),
    ("Éclairage public intelligent", "Eclairage public intelligent"),
    ("Éclairage public intelligent", "Eclairages publics intelligents"),
    ("Dématérialisation des factures", "Factures dématérialisées"),
    ("Dematerialisation des factures fournisseurs", "Dématérialisation des factures"),
    ("Jardins partagés dans les écoles", "Jardin partagé à l'école"),
    ("Budget participatif", "Un budget participatif pour les habitants"),
    ("Budjet participatif", "Budget participatif"),
    ("Composteurs collectifs", "Composteur collectif dans chaque quartier"),
    ("Télétravail des agents", "Le télétravail pour les agents"),
    ("Teletravail agents", "Télétravail des agents"),
    ("Guichet unique numérique", "Un guichet numérique unique"),
    ("Réduction du gaspillage alimentaire à la cantine", "Cantine : réduire le gaspillage alimentaire"),
    ("Vélos de service", "Vélo de service pour les agents"),
    ("Parrainage des nouveaux arrivants", "Parrainage des nouveaux agents arrivants"),
    ("Accueil des nouveaux arrivants", "Accueil des nouvel arrivant"),
    ("Prise de rendez-vous en ligne", "Rendez-vous en ligne pour l'état civil"),
    ("Signalement des nids-de-poule", "Signalements de nids de poule par les habitants"),
    ("Formation au numérique", "Formations numériques"),
    ("Formation au numerique des seniors", "Formation numérique des séniors"),
    ("Récupération des eaux de pluie", "Récupérer l'eau de pluie"),
    ("Conciergerie d'entreprise", "Une conciergerie pour les agents"),
    ("Tri des déchets au bureau", "Le tri des déchets dans les bureaux"),
    ("Ramassage scolaire à vélo", "Vélobus : ramassage scolaire à vélo"),
    ("Boîte à idées numérique", "Boite a idees numerique"),
    ("Mutualisation des véhicules de service", "Véhicules de service mutualisés"),
    ("Bibliothèque de prêt d'outils", "Prêt d'outils entre habitants"),
    ("Horaires d'ouverture élargis de la médiathèque", "Médiathèque : horaires élargis"),
    ("Covoiturage", "Covoiturage des agents"),
    ("Réemploi du mobilier de bureau", "Réemploi des mobiliers"),
]

UNRELATED = [
    ("Covoiturage des agents", "Formation des agents au numérique"),
    ("Covoiturage des agents", "Covoiturage des élus vers les conseils"),
    ("Éclairage public intelligent", "Éclairage des gymnases"),
    ("Dématérialisation des factures", "Archivage des délibérations"),
    ("Jardins partagés dans les écoles", "Cantine bio dans les écoles"),
    ("Budget participatif", "Budget annexe de l'eau"),
    ("Composteurs collectifs", "Collecte des encombrants"),
    ("Télétravail des agents", "Tickets restaurant des agents"),
    ("Guichet unique numérique", "Formation au numérique"),
    ("Réduction du gaspillage alimentaire à la cantine", "Réduction de la consommation d'énergie"),
    ("Vélos de service", "Véhicules de service électriques"),
    ("Parrainage des nouveaux arrivants", "Accueil des nouveaux habitants"),
    ("Prise de rendez-vous en ligne", "Paiement en ligne de la cantine"),
    ("Signalement des nids-de-poule", "Signalétique des bâtiments publics"),
    ("Récupération des eaux de pluie", "Piscine : qualité de l'eau"),
    ("Tri des déchets au bureau", "Déchetterie mobile"),
    ("Ramassage scolaire à vélo", "Transport scolaire en car électrique"),
    ("Boîte à idées numérique", "Boîte aux lettres connectée"),
    ("Mutualisation des achats", "Mutualisation des véhicules de service"),
    ("Bibliothèque de prêt d'outils", "Bibliothèque numérique"),
    ("Horaires d'ouverture élargis de la médiathèque", "Horaires variables des agents"),
    ("Réemploi du mobilier de bureau", "Réaménagement des bureaux"),
    ("Vote électronique du conseil", "Vélo électrique pour la police municipale"),
    ("Conciergerie d'entreprise", "Crèche d'entreprise"),
    ("Sobriété énergétique des écoles", "Sécurité aux abords des écoles"),
    ("Chatbot pour l'état civil", "Mariage civil le samedi"),
    ("Tiers-lieu rural", "Tiers payant en pharmacie"),
    ("Plantation d'arbres en ville", "Plan de circulation en ville"),
    ("Espace de coworking pour les agents", "Espace de détente pour les agents"),
    ("Ateliers de réparation de vélos", "Ateliers d'écriture à la médiathèque"),
]


def relevance(suggest: object) -> dict[str, float]:
    """Precision and recall of ``suggest(title) -> titles suggested``, every title of the pairs being stored.

    A duplicate pair counts as found when the second title is among the suggestions for the first; an unrelated
    pair counts as a false alarm when it is.
    """
    found = sum(1 for query, other in DUPLICATES if other in suggest(query))
    false_alarms = sum(1 for query, other in UNRELATED if other in suggest(query))
    return {
        "pairs": len(DUPLICATES) + len(UNRELATED),
        "found": found,
        "missed": len(DUPLICATES) - found,
        "false_alarms": false_alarms,
        "precision": found / (found + false_alarms) if found + false_alarms else 1.0,
        "recall": found / len(DUPLICATES),
    }


def titles() -> list[str]:
    """Every title of the pairs, once."""
    return list(dict.fromkeys(title for pair in DUPLICATES + UNRELATED for title in pair))
