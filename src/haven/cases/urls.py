from django.urls import path

from haven.cases import journey_views as journey
from haven.cases import views
from haven.support import views as support

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
    path("inbox/", journey.inbox, name="inbox"),
    # Identification and return
    path(
        "cases/<str:reference>/identification/", journey.identification_tab, name="identification"
    ),
    path("cases/<str:reference>/screenings/", journey.screen, name="screen"),
    path("cases/<str:reference>/decisions/", journey.decide, name="decide"),
    path("cases/<str:reference>/status/", journey.change_status, name="status"),
    path("cases/<str:reference>/return-wish/", journey.return_wish, name="return-wish"),
    path("cases/<str:reference>/return-steps/<int:pk>/done/", journey.step_done, name="step-done"),
    path(
        "cases/<str:reference>/return-steps/<int:pk>/assign/",
        journey.step_assign,
        name="step-assign",
    ),
    # Support
    path("cases/<str:reference>/support/", support.support_tab, name="support"),
    path("cases/<str:reference>/support/plan/", support.save_plan, name="plan"),
    path("cases/<str:reference>/support/services/", support.add_service, name="service-add"),
    path(
        "cases/<str:reference>/support/services/<int:pk>/deliver/",
        support.deliver_service,
        name="service-deliver",
    ),
    path(
        "cases/<str:reference>/support/services/<int:pk>/decline/",
        support.decline_service,
        name="service-decline",
    ),
    path("cases/<str:reference>/support/extensions/", support.extend, name="extension-add"),
    # Safety
    path("cases/<str:reference>/safety/", support.safety_tab, name="safety"),
    path("cases/<str:reference>/safety/assessments/", support.assess_risk, name="risk-add"),
    path("cases/<str:reference>/safety/incidents/", support.report_incident, name="incident-add"),
    # Reintegration and follow-up
    path("cases/<str:reference>/follow-up/", support.follow_up_tab, name="follow-up"),
    path("cases/<str:reference>/follow-up/reintegrate/", support.reintegrate, name="reintegrate"),
    path("cases/<str:reference>/follow-up/visits/<int:pk>/", support.record_visit, name="visit"),
    path(
        "cases/<str:reference>/follow-up/conferences/",
        support.hold_conference,
        name="conference-add",
    ),
    # Closure
    path("cases/<str:reference>/closure/", support.closure_tab, name="closure"),
    path("cases/<str:reference>/closure/request/", support.request_closure, name="closure-request"),
    path(
        "cases/<str:reference>/closure/<int:pk>/approve/",
        support.approve_closure,
        name="closure-approve",
    ),
    path(
        "cases/<str:reference>/closure/<int:pk>/refuse/",
        support.refuse_closure,
        name="closure-refuse",
    ),
    path("cases/<str:reference>/closure/reopen/", support.reopen, name="reopen"),
]
