from django.urls import path

from haven.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:import_id>/", views.detail, name="detail"),
    path("<int:import_id>/check/", views.check, name="check"),
    path("<int:import_id>/run/", views.run, name="run"),
    path("<int:import_id>/progress/", views.progress, name="progress"),
    path("<int:import_id>/report.csv", views.report_csv, name="report"),
]
