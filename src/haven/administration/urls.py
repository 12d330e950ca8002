from django.urls import path

from haven.administration import views

app_name = "administration"
urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_new, name="organisation-new"),
    path("organisations/<int:pk>/", views.organisation_edit, name="organisation"),
    path("organisations/<int:pk>/active/", views.organisation_active, name="organisation-active"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_new, name="user-new"),
    path("users/<int:pk>/", views.user_edit, name="user"),
    path("users/<int:pk>/password/", views.user_password, name="user-password"),
    path("users/<int:pk>/active/", views.user_active, name="user-active"),
    path("users/<int:pk>/memberships/", views.membership_add, name="membership-add"),
    path("memberships/<int:pk>/active/", views.membership_active, name="membership-active"),
]
