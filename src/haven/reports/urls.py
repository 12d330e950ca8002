from django.urls import path

from haven.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tables/<str:key>.<str:fmt>", views.table_export, name="table-export"),
    path("cases/", views.drilldown, name="drilldown"),
    path("exports/", views.export_create, name="export-create"),
    path("exports/<uuid:token>/", views.export_detail, name="export"),
    path("exports/<uuid:token>/progress/", views.export_progress, name="export-progress"),
    path("exports/<uuid:token>/download/", views.export_download, name="export-download"),
]
