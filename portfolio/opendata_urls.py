from django.urls import path

from portfolio import views

app_name = "open_data"
urlpatterns = [
    path("", views.open_data, name="index"),
    path("projets.csv", views.open_data_csv, name="projects_csv"),
    path("projets.json", views.open_data_json, name="projects_json"),
    path("schema.json", views.open_data_schema, name="schema"),
]
