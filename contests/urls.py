from django.urls import path

from contests import views

app_name = "contests"

urlpatterns = [
    path("", views.contest_list, name="list"),
    path("nouveau/", views.contest_create, name="create"),
    path("mes-idees/", views.my_ideas, name="my_ideas"),
    path("<slug:slug>/", views.contest_detail, name="detail"),
    path("<slug:slug>/modifier/", views.contest_edit, name="edit"),
    path("<slug:slug>/etape-suivante/", views.contest_advance, name="advance"),
    path("<slug:slug>/relancer-le-jury/", views.contest_remind_jury, name="remind_jury"),
    path("<slug:slug>/evaluation/", views.evaluation, name="evaluation"),
    path("<slug:slug>/classement/", views.contest_ranking, name="ranking"),
    path("<slug:slug>/resultats/", views.contest_results, name="results"),
    path("<slug:slug>/export.csv", views.export_csv, name="export_csv"),
    path("<slug:slug>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<slug:slug>/notes.csv", views.export_scores_csv, name="export_scores_csv"),
    path("<slug:slug>/notes.xlsx", views.export_scores_xlsx, name="export_scores_xlsx"),
    path("<slug:slug>/idees/nouvelle/", views.idea_create, name="idea_create"),
    path("<slug:slug>/idees/similaires/", views.idea_similar, name="idea_similar"),
    path("<slug:slug>/idees/<int:pk>/", views.idea_detail, name="idea"),
    path("<slug:slug>/idees/<int:pk>/modifier/", views.idea_edit, name="idea_edit"),
    path("<slug:slug>/idees/<int:pk>/confirmation/", views.idea_confirmation, name="idea_confirmation"),
    path("<slug:slug>/idees/<int:pk>/soutenir/", views.idea_support, name="idea_support"),
    path("<slug:slug>/idees/<int:pk>/commenter/", views.idea_comment, name="idea_comment"),
    path("<slug:slug>/idees/<int:pk>/masquer/", views.idea_hide, name="idea_hide"),
    path("<slug:slug>/idees/<int:pk>/commentaires/<int:comment_pk>/masquer/", views.comment_hide, name="comment_hide"),
    path("<slug:slug>/idees/<int:pk>/evaluer/", views.idea_score, name="idea_score"),
    path("<slug:slug>/idees/<int:pk>/decision/", views.idea_outcome, name="idea_outcome"),
    path("<slug:slug>/idees/<int:pk>/projet/", views.idea_project, name="idea_project"),
    path("<slug:slug>/idees/<int:pk>/fusionner/", views.idea_merge, name="idea_merge"),
    path("<slug:slug>/idees/<int:pk>/piece-jointe/", views.idea_attachment, name="idea_attachment"),
]
