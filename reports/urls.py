from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/statut/", views.report_status, name="status"),
    path("<int:pk>/telecharger/", views.report_download, name="download"),
    path("<int:pk>/nouvelle-version/", views.report_new_version, name="new_version"),
]
