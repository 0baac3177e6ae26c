from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.campaign_list, name="index"),
    path("nouvelle/", views.campaign_create, name="create"),
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<int:pk>/nouvelle-edition/", views.questionnaire_copy, name="questionnaire_copy"),
    # A network's national editions: the animateur's page (participation and network figures).
    path("editions/<slug:slug>/", views.edition_detail, name="edition"),
    # Personal links: no account needed, the token is the key.
    path("r/<str:token>/", views.respond, name="respond"),
    path("r/<str:token>/page/<int:step>/", views.respond_step, name="respond_step"),
    path("r/<str:token>/envoi/", views.respond_submit, name="respond_submit"),
    path("<slug:slug>/", views.campaign_detail, name="campaign"),
    path("<slug:slug>/ouvrir/", views.campaign_open, name="open"),
    path("<slug:slug>/cloturer/", views.campaign_close, name="close"),
    path("<slug:slug>/inviter/", views.campaign_invite, name="invite"),
    path("<slug:slug>/relancer/", views.campaign_remind, name="remind"),
    path("<slug:slug>/repondants/<int:pk>/supprimer/", views.invitation_erase, name="erase"),
    path("<slug:slug>/resultats/", views.results, name="results"),
    path("<slug:slug>/resultats.csv", views.results_csv, name="results_csv"),
    path("<slug:slug>/comparaison/", views.comparison, name="comparison"),
    path("<slug:slug>/resultats/textes/<str:code>/", views.results_texts, name="results_texts"),
    path("<slug:slug>/reponses.csv", views.responses_csv, name="responses_csv"),
    path("<slug:slug>/reponses.xlsx", views.responses_xlsx, name="responses_xlsx"),
    path("<slug:slug>/importer/", views.responses_upload, name="import"),
]
