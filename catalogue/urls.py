from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.catalogue, name="index"),
    path("nos-publications/", views.own_publications, name="own"),
    path("publier/<int:project_pk>/", views.publish, name="publish"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/retirer/", views.withdraw, name="withdraw"),
    path("<int:pk>/essaimer/", views.replicate, name="replicate"),
]
