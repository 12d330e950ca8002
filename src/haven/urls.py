from django.contrib import admin
from django.urls import include, path

from haven import health

urlpatterns = [
    path("health/", health.health, name="health"),
    path("ready/", health.ready, name="ready"),
    path("accounts/", include("haven.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("places/", include("haven.places.urls")),
    path("people/", include("haven.people.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("haven.api.urls")),
    path("imports/", include("haven.imports.urls")),
    path("manage/", include("haven.administration.urls")),
    path("reports/", include("haven.reports.urls")),
    path("cases/", include("haven.access.urls")),
    path("", include("haven.referrals.urls")),
    path("", include("haven.cases.urls")),
]
