from django.urls import path

from network import views

app_name = "network"

# /reseau/catalogue/ belongs to the catalogue app (included before this module in the root URLs).
urlpatterns = [
    path("", views.overview, name="overview"),
]
