from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import oidc
from api.api import api as read_api
from innovation_portal import csp, views

admin.site.site_header = _("Portail de l'innovation — administration")
admin.site.site_title = _("Portail de l'innovation")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("csp-rapport/", csp.csp_report, name="csp_report"),
    path("comptes/", include("accounts.urls")),
    path("oidc/authentification/", oidc.SignIn.as_view(), name="oidc_authentication_init"),
    path("oidc/retour/", oidc.Callback.as_view(), name="oidc_callback"),
    path("projets/", include("portfolio.urls")),
    path("concours/", include("contests.urls")),
    path("enquetes/", include("surveys.urls")),
    path("tableaux-de-bord/", include("reports.dashboard_urls")),
    path("rapports/", include("reports.urls")),
    path("journal/", include("audit.urls")),
    # Before the network's own pages (/reseau/, the network app): the catalogue is an app of its own.
    path("reseau/catalogue/", include("catalogue.urls")),
    path("reseau/", include("network.urls")),
    path("donnees-ouvertes/", include("portfolio.opendata_urls")),
    path("api/", read_api.urls),
    path("comptes/jetons-api/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # One login page for the whole portal, so the lockout and its messages apply everywhere.
    path("admin/login/", views.admin_login),
    # Before the admin's own: « Voir sur le site » only for a row of the person's collectivité.
    path(
        "admin/r/<str:content_type_id>/<path:object_id>/",
        admin.site.admin_view(views.admin_view_on_site),
        name="admin_view_on_site",
    ),
    path("admin/", admin.site.urls),
]

if settings.DEBUG_TOOLBAR:  # a developer's machine only (settings.py)
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
