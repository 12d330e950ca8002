from django.urls import path

from haven.places import views

app_name = "places"
urlpatterns = [
    path("communes/", views.commune_options, name="commune-options"),
]
