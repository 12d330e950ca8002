from django.urls import path

from haven.accounts import views

app_name = "accounts"
urlpatterns = [
    path("2fa/setup/", views.otp_setup, name="otp-setup"),
    path("2fa/verify/", views.otp_verify, name="otp-verify"),
]
