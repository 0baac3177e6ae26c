from django.urls import path

from portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("tableau/", views.project_board, name="board"),
    path("carte-du-portefeuille/", views.portfolio_map, name="map"),
    path("mes-projets/", views.my_projects, name="mine"),
    path("vitrine/", views.showcase, name="showcase"),
    path("nouveau/", views.project_create, name="create"),
    path("similaires/", views.project_similar, name="similar"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/modifier/", views.project_edit, name="edit"),
    path("<int:pk>/facteurs/", views.project_scorecard, name="scorecard"),
    path("<int:pk>/decision/", views.project_decide, name="decide"),
    path("<int:pk>/demande-de-decision/", views.decision_request, name="decision_request"),
    path("<int:pk>/demande-de-decision/retirer/", views.decision_request_withdraw, name="decision_request_withdraw"),
    path("<int:pk>/historique/", views.project_history, name="history"),
    path("<int:pk>/indicateurs/", views.indicator_create, name="indicator_create"),
    path("<int:pk>/indicateurs/<int:indicator_pk>/mesure/", views.measurement_add, name="measurement_add"),
    path("<int:pk>/indicateurs/<int:indicator_pk>/modifier/", views.indicator_edit, name="indicator_edit"),
    path("<int:pk>/indicateurs/<int:indicator_pk>/supprimer/", views.indicator_delete, name="indicator_delete"),
    path(
        "<int:pk>/indicateurs/<int:indicator_pk>/mesures/<int:measurement_pk>/modifier/",
        views.measurement_edit,
        name="measurement_edit",
    ),
    path(
        "<int:pk>/indicateurs/<int:indicator_pk>/mesures/<int:measurement_pk>/supprimer/",
        views.measurement_delete,
        name="measurement_delete",
    ),
    path("<int:pk>/documents/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/documents/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
]
