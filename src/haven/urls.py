from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("places/", include("haven.places.urls")),
    path("admin/", admin.site.urls),
    path("", include("haven.cases.urls")),
]
