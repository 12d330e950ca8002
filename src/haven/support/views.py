"""Support, safety, follow-up and closure tabs of a case, and their actions."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from haven.access import policy
from haven.access.models import Section
from haven.cases.journey_views import case_action, tab_context
from haven.support import actions, eligibility
from haven.support import forms as f


def _render_tab(request, reference, section, template, forms, **queries):
    context = tab_context(request, reference, section)
    case = context["case"]
    context.update({name: query(case) for name, query in queries.items()})
    if context["access"].can_write:
        context.update({name: form(case=case) for name, form in forms.items()})
    context["tab"] = template
    context["is_supervisor"] = policy.supervises(request.user, case)
    return render(request, f"support/tab_{template}.html", context)


@login_required
@require_GET
def support_tab(request, reference):
    return _render_tab(
        request,
        reference,
        Section.SUPPORT,
        "support",
        {
            "plan_form": f.PlanForm,
            "service_form": f.ServiceForm,
            "deliver_form": f.DeliverForm,
            "decline_form": f.DeclineForm,
            "extension_form": f.ExtensionForm,
        },
        plan=lambda c: getattr(c, "support_plan", None) if hasattr(c, "support_plan") else None,
        services=lambda c: c.services.select_related("provider", "paid_by"),
        extensions=lambda c: c.cap_extensions.select_related("approving_organisation"),
        eligible=lambda c: sorted(eligibility.eligible_types(c)),
        days_used=lambda c: actions.essential_needs_days_used(c),
    )


@login_required
@require_GET
def safety_tab(request, reference):
    return _render_tab(
        request,
        reference,
        Section.SAFETY,
        "safety",
        {"risk_form": f.RiskForm, "incident_form": f.IncidentForm},
        assessments=lambda c: c.risk_assessments.select_related("measures_by", "assessed_by"),
    )


@login_required
@require_GET
def follow_up_tab(request, reference):
    return _render_tab(
        request,
        reference,
        Section.SUPPORT,
        "follow_up",
        {
            "reintegrate_form": f.ReintegrateForm,
            "visit_form": f.VisitForm,
            "conference_form": f.ConferenceForm,
        },
        visits=lambda c: c.follow_up_visits.select_related("organisation", "visitor"),
        conferences=lambda c: c.conferences.prefetch_related("organisations"),
    )


@login_required
@require_GET
def closure_tab(request, reference):
    return _render_tab(
        request,
        reference,
        None,
        "closure",
        {
            "request_form": f.ClosureRequestForm,
            "refuse_form": f.RefuseForm,
            "reopen_form": f.ReopenForm,
        },
        closures=lambda c: c.closures.select_related("requested_by", "approved_by"),
    )


def _plan(user, organisation, case, data, pk):
    actions.save_plan(user=user, organisation=organisation, case=case, **data)


def _service(user, organisation, case, data, pk):
    actions.add_service(user=user, organisation=organisation, case=case, **data)


def _deliver(user, organisation, case, data, pk):
    actions.deliver_service(
        user=user,
        organisation=organisation,
        service=get_object_or_404(case.services, pk=pk),
        **data,
    )


def _decline(user, organisation, case, data, pk):
    actions.decline_service(
        user=user,
        organisation=organisation,
        service=get_object_or_404(case.services, pk=pk),
        **data,
    )


def _extend(user, organisation, case, data, pk):
    actions.extend_essential_needs(user=user, organisation=organisation, case=case, **data)


def _risk(user, organisation, case, data, pk):
    actions.assess_risk(user=user, organisation=organisation, case=case, **data)


def _incident(user, organisation, case, data, pk):
    actions.report_incident(user=user, organisation=organisation, case=case, **data)


def _reintegrate(user, organisation, case, data, pk):
    actions.reintegrate(user=user, organisation=organisation, case=case, **data)


def _visit(user, organisation, case, data, pk):
    actions.record_visit(
        user=user,
        organisation=organisation,
        visit=get_object_or_404(case.follow_up_visits, pk=pk),
        **data,
    )


def _conference(user, organisation, case, data, pk):
    actions.hold_conference(user=user, organisation=organisation, case=case, **data)


def _request_closure(user, organisation, case, data, pk):
    actions.request_closure(user=user, organisation=organisation, case=case, **data)


def _approve(user, organisation, case, data, pk):
    actions.approve_closure(
        user=user, organisation=organisation, closure=get_object_or_404(case.closures, pk=pk)
    )


def _refuse(user, organisation, case, data, pk):
    actions.refuse_closure(
        user=user,
        organisation=organisation,
        closure=get_object_or_404(case.closures, pk=pk),
        **data,
    )


def _reopen(user, organisation, case, data, pk):
    actions.reopen(user=user, organisation=organisation, case=case, **data)


SUPPORT, SAFETY, FOLLOW_UP, CLOSURE = (
    "cases:support",
    "cases:safety",
    "cases:follow-up",
    "cases:closure",
)
save_plan = case_action(f.PlanForm, _plan, SUPPORT, gettext_lazy("Support plan saved."))
add_service = case_action(f.ServiceForm, _service, SUPPORT, gettext_lazy("Service recorded."))
deliver_service = case_action(
    f.DeliverForm, _deliver, SUPPORT, gettext_lazy("Service marked delivered.")
)
decline_service = case_action(
    f.DeclineForm, _decline, SUPPORT, gettext_lazy("Her refusal is recorded.")
)
extend = case_action(f.ExtensionForm, _extend, SUPPORT, gettext_lazy("Extension recorded."))
assess_risk = case_action(f.RiskForm, _risk, SAFETY, gettext_lazy("Risk assessment recorded."))
report_incident = case_action(
    f.IncidentForm,
    _incident,
    SAFETY,
    gettext_lazy("Incident recorded; a re-assessment is due now."),
)
reintegrate = case_action(
    f.ReintegrateForm,
    _reintegrate,
    FOLLOW_UP,
    gettext_lazy("Reintegration recorded; follow-up visits are scheduled."),
)
record_visit = case_action(f.VisitForm, _visit, FOLLOW_UP, gettext_lazy("Visit recorded."))
hold_conference = case_action(
    f.ConferenceForm, _conference, FOLLOW_UP, gettext_lazy("Case conference recorded.")
)
request_closure = case_action(
    f.ClosureRequestForm,
    _request_closure,
    CLOSURE,
    gettext_lazy("Closure requested; a supervisor must approve it."),
)
approve_closure = case_action(
    f.CaseForm, _approve, CLOSURE, gettext_lazy("Closure approved; the case is closed.")
)
refuse_closure = case_action(f.RefuseForm, _refuse, CLOSURE, gettext_lazy("Closure refused."))
reopen = case_action(f.ReopenForm, _reopen, CLOSURE, gettext_lazy("Case reopened."))
