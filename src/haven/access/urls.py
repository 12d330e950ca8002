from django.urls import path

from haven.access import views

app_name = "access"
urlpatterns = [
    path("<str:reference>/consents/", views.consent_create, name="consent-create"),
    path(
        "<str:reference>/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
    path("<str:reference>/shares/", views.share_create, name="share-create"),
    path("<str:reference>/shares/<int:share_id>/end/", views.share_end, name="share-end"),
    path("<str:reference>/access-log/", views.access_log, name="access-log"),
]
