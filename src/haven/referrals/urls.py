from django.urls import path

from haven.referrals import views

app_name = "referrals"
urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/new/", views.provider_new, name="provider-new"),
    path("directory/<int:pk>/", views.provider_detail, name="provider"),
    path("directory/<int:pk>/edit/", views.provider_edit, name="provider-edit"),
    path("directory/<int:pk>/assessments/", views.assessment_new, name="assessment-new"),
    path("cases/<str:reference>/referrals/", views.case_referrals, name="case"),
    path("cases/<str:reference>/referrals/new/", views.referral_create, name="create"),
    path("referrals/", views.referral_list, name="list"),
    path("referrals/<int:pk>/", views.referral_detail, name="detail"),
    path("referrals/<int:pk>/accept/", views.accept, name="accept"),
    path("referrals/<int:pk>/decline/", views.decline, name="decline"),
    path("referrals/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("referrals/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("capacity-building/", views.activities, name="activities"),
    path("capacity-building/new/", views.activity_new, name="activity-new"),
]
