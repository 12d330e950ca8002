from django.urls import include, path, re_path

from haven.api import views
from haven.api.main import api

app_name = "api"
urlpatterns = [
    path("clients/", views.client_list, name="clients"),
    path("clients/<int:client_id>/revoke/", views.client_revoke, name="client-revoke"),
    path("v1/", include(api.urls[0])),
    # Anything else under /api/ answers in the API's error shape, not with an HTML page.
    re_path(r"^v1/.*$", views.not_found, name="not-found"),
]
