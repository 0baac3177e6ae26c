from django.urls import path

from reports import views

app_name = "dashboards"

urlpatterns = [path("", views.dashboard, name="index")]
