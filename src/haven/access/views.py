"""Consent, sharing and the access log of a case. Only the owning side may change them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from haven.access import actions, policy
from haven.access.forms import ConsentForm, EndShareForm, ShareForm
from haven.audit import log as audit
from haven.audit.models import AuditEvent
from haven.errors import ActionRefused


def _owned_case(request, reference):
    """The case if the user may change it, with the organisation they act for."""
    case = policy.get_case_for(request.user, reference, for_write=True)
    return case, policy.acting_organisation(request.user, case)


def _refused(request, case, exc: ActionRefused):
    messages.error(request, exc.message)
    return redirect("cases:detail", reference=case.reference)


def _form_errors(request, case, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_POST
def consent_create(request, reference):
    case, organisation = _owned_case(request, reference)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, case, form)
    try:
        actions.record_consent(
            user=request.user, organisation=organisation, case=case, **form.cleaned_data
        )
    except ActionRefused as exc:
        return _refused(request, case, exc)
    messages.success(request, _("Consent recorded."))
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_POST
def consent_withdraw(request, reference, consent_id):
    case, organisation = _owned_case(request, reference)
    consent = get_object_or_404(case.consents, pk=consent_id)
    try:
        ended = actions.withdraw_consent(
            user=request.user, organisation=organisation, consent=consent
        )
    except ActionRefused as exc:
        return _refused(request, case, exc)
    messages.success(
        request,
        ngettext(
            "Consent withdrawn; %(n)s share ended.",
            "Consent withdrawn; %(n)s shares ended.",
            len(ended),
        )
        % {"n": len(ended)},
    )
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_POST
def share_create(request, reference):
    case, organisation = _owned_case(request, reference)
    form = ShareForm(request.POST, case=case)
    if not form.is_valid():
        return _form_errors(request, case, form)
    data = form.cleaned_data
    is_supervisor = policy.supervises(request.user, case)
    try:
        actions.share_case(
            user=request.user,
            organisation=organisation,
            case=case,
            recipient=data["recipient"],
            sections=data["sections"],
            basis=data["basis"],
            consent=data.get("consent"),
            legal_basis=data.get("legal_basis", ""),
            user_is_supervisor=is_supervisor,
        )
    except ActionRefused as exc:
        return _refused(request, case, exc)
    messages.success(request, _("Shared with %(org)s.") % {"org": data["recipient"].name})
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_POST
def share_end(request, reference, share_id):
    case, organisation = _owned_case(request, reference)
    share = get_object_or_404(case.shares, pk=share_id)
    form = EndShareForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.end_share(user=request.user, organisation=organisation, share=share, reason=reason)
    except ActionRefused as exc:
        return _refused(request, case, exc)
    messages.success(request, _("Sharing ended."))
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_GET
def access_log(request, reference):
    """Who opened, changed, shared or downloaded this case: for supervisors."""
    case = policy.get_case_for(request.user, reference)
    if not policy.case_access(request.user, case).can_see_access_log:
        raise Http404("No such case")
    events = AuditEvent.objects.filter(details__case=case.reference) | AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk)
    )
    page = Paginator(events.order_by("-id"), 50).get_page(request.GET.get("page"))
    audit.record(
        "case.access_log", user=request.user, obj=case, details={"reference": case.reference}
    )
    return render(request, "access/access_log.html", {"case": case, "page": page})
