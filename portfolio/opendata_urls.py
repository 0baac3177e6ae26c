from django.urls import path

from portfolio import views

app_name = "open_data"
urlpatterns = [
    path("", views.open_data, name="index"),
    path("projets.csv", views.open_data_csv, name="projects_csv"),
    path("projets.json", views.open_data_json, name="projects_json"),
    path("schema.json", views.open_data_schema, name="schema"),
    # A deployment of several collectivités: one address each, listed at the index.
    path("<slug:organisation>/", views.open_data, name="collectivite"),
    path("<slug:organisation>/projets.csv", views.open_data_csv, name="collectivite_csv"),
    path("<slug:organisation>/projets.json", views.open_data_json, name="collectivite_json"),
]
