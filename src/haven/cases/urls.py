from django.urls import path

from haven.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.work_list, name="home"),
    path("cases/", views.case_list, name="list"),
    path("cases/<str:reference>/", views.case_detail, name="detail"),
    path(
        "cases/<str:reference>/documents/<int:document_id>/",
        views.document_download,
        name="document",
    ),
    path("receptions/new/<str:route>/", views.reception_new, name="reception-new"),
]
