"""The steps of a case after reception: tab pages, the POST actions behind their forms,
the inbox. Every action view is made by `case_action`, so access, the acting organisation,
form errors and refusals are handled the same way everywhere."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from haven.access import policy
from haven.access.models import Section
from haven.audit import log as audit
from haven.cases import identification, returns, tasks, workflow
from haven.cases.journey_forms import (
    DecisionForm,
    ReturnStepAssignForm,
    ReturnStepDoneForm,
    ReturnWishForm,
    ScreeningForm,
    TransitionForm,
)
from haven.cases.models import ReturnStep, Task
from haven.errors import ActionRefused


def case_action(form_class, run, tab: str, success: str):
    """A POST view: `run(user, organisation, case, data, pk)` on a valid form."""

    @login_required
    @require_POST
    def view(request, reference, pk=None):
        case = policy.get_case_for(request.user, reference, for_write=True)
        organisation = policy.acting_organisation(request.user, case)
        form = form_class(request.POST, case=case)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
        else:
            try:
                run(request.user, organisation, case, form.cleaned_data, pk)
            except ActionRefused as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, success)
        return redirect(tab, reference=case.reference)

    return view


def tab_context(request, reference, section: str | None):
    """The case, its access and the audit record of opening one of its tabs."""
    case = policy.get_case_for(request.user, reference)
    access = policy.case_access(request.user, case)
    if section is not None and not access.sees(section):
        raise Http404("No such case")
    audit.record(
        "case.view",
        user=request.user,
        obj=case,
        details={"reference": case.reference, "tab": section or "identification"},
    )
    return {
        "case": case,
        "access": access,
        "person": case.person,
        "overdue_tasks": list(tasks.overdue(case.tasks.filter(done_at__isnull=True))),
    }


@login_required
@require_GET
def identification_tab(request, reference):
    context = tab_context(request, reference, Section.ACCOUNT)
    case, access = context["case"], context["access"]
    context.update(
        tab="identification",
        screenings=case.screenings.select_related("organisation", "screened_by"),
        decisions=case.decisions.select_related("organisation", "decided_by").prefetch_related(
            "evidence"
        ),
        return_steps=case.return_steps.select_related("organisation", "paid_by"),
    )
    if access.can_write:
        context.update(
            screening_form=ScreeningForm(case=case),
            decision_form=DecisionForm(case=case),
            transition_form=TransitionForm(case=case),
            wish_form=ReturnWishForm(case=case),
            step_done_form=ReturnStepDoneForm(case=case),
            step_assign_form=ReturnStepAssignForm(case=case),
        )
    return render(request, "cases/tab_identification.html", context)


def _screen(user, organisation, case, data, pk):
    identification.record_screening(
        user=user,
        organisation=organisation,
        case=case,
        acts=data["acts"],
        means=data["means"],
        purposes=data["purposes"],
        notes=data["notes"],
    )


def _decide(user, organisation, case, data, pk):
    description = data["evidence_description"]
    identification.decide_identification(
        user=user,
        organisation=organisation,
        case=case,
        status=data["status"],
        decided_on=data["decided_on"],
        evidence=[(k, description) for k in data["evidence"]],
        legal_basis=data["legal_basis"],
        referred_to=data["referred_to"],
        in_vietnam=data["in_vietnam"],
        notes=data["notes"],
    )


def _transition(user, organisation, case, data, pk):
    workflow.transition(case, data["status"], user=user, organisation=organisation)


def _step(case, pk) -> ReturnStep:
    return get_object_or_404(case.return_steps, pk=pk)


def _step_done(user, organisation, case, data, pk):
    returns.complete_step(
        user=user,
        organisation=organisation,
        step=_step(case, pk),
        status=data["status"],
        cost=data["cost"],
        paid_by=data["paid_by"],
        notes=data["notes"],
    )


def _step_assign(user, organisation, case, data, pk):
    returns.assign_step(
        user=user,
        organisation=organisation,
        step=_step(case, pk),
        to_organisation=data["to_organisation"],
    )


def _wish(user, organisation, case, data, pk):
    returns.record_wish(user=user, organisation=organisation, case=case, wish=data["wish"])


TAB = "cases:identification"
screen = case_action(ScreeningForm, _screen, TAB, gettext_lazy("Screening recorded."))
decide = case_action(DecisionForm, _decide, TAB, gettext_lazy("Identification decision recorded."))
change_status = case_action(TransitionForm, _transition, TAB, gettext_lazy("Status changed."))
step_done = case_action(ReturnStepDoneForm, _step_done, TAB, gettext_lazy("Return step recorded."))
step_assign = case_action(
    ReturnStepAssignForm, _step_assign, TAB, gettext_lazy("Return step assigned.")
)
return_wish = case_action(ReturnWishForm, _wish, TAB, gettext_lazy("Her wish is recorded."))


# Tasks shown a page: a worker acts on the first few; paging reaches the rest.
INBOX_PAGE_SIZE = 50
# The most tasks the inbox counts: beyond it the page says "more than" this many.
INBOX_COUNT_CAP = 1000


def _page_number(raw, pages: int) -> int:
    """The page asked for, as a page that exists: the first for anything not a number, the
    last for a number beyond it (as Django's Paginator.get_page answers)."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), max(pages, 1))


@login_required
@require_GET
def inbox(request):
    open_tasks = tasks.inbox(request.user)
    now = timezone.now()
    # Both counts in one query, over the first INBOX_COUNT_CAP + 1 tasks in due order: each
    # task's case is checked against the user's access, which for a large organisation's
    # thousands of open tasks cost more than the rest of the page. Overdue tasks come first
    # in that order, so the overdue count is exact up to the cap as well.
    counts = open_tasks[: INBOX_COUNT_CAP + 1].aggregate(
        open=Count("id"), overdue=Count("id", filter=tasks.overdue_condition(now))
    )
    counted = min(counts["open"], INBOX_COUNT_CAP)
    pages = -(-counted // INBOX_PAGE_SIZE)
    number = _page_number(request.GET.get("page"), pages)
    first = (number - 1) * INBOX_PAGE_SIZE
    rows = list(
        open_tasks.only(
            "kind",
            "due_at",
            "done_at",
            "source",
            "case__reference",
            "organisation__name_vi",
            "organisation__name_en",
        )[first : first + INBOX_PAGE_SIZE]
    )
    # Each row's link, date and kind, worked out here once rather than by template tags
    # per row (get_kind_display rebuilds the choices' dictionary on every call).
    case_url = reverse("cases:detail", args=["REFERENCE"])
    kinds = {kind: str(label) for kind, label in Task.Kind.choices}
    due_labels = {}
    referral_text = gettext("the referral")
    for task in rows:
        referral = task.referral_id if task.kind == Task.Kind.REFERRAL_RESPONSE else None
        if referral:
            task.link_url = reverse("referrals:detail", args=[referral])
            task.link_text = referral_text
        else:
            task.link_url = case_url.replace("REFERENCE", quote(task.case.reference))
            task.link_text = task.case.reference
        task.kind_label = kinds.get(task.kind, task.kind)
        task.organisation_name = task.organisation.name
        task.overdue = task.due_at < now
        day = timezone.localtime(task.due_at).date()
        if day not in due_labels:
            due_labels[day] = date_format(day, "SHORT_DATE_FORMAT")
        task.due_label = due_labels[day]
    return render(
        request,
        "cases/inbox.html",
        {
            "tasks": rows,
            "page_number": number,
            "pages": pages,
            "open_count": counted,
            "overdue_count": min(counts["overdue"], INBOX_COUNT_CAP),
            "open_capped": counts["open"] > INBOX_COUNT_CAP,
            "overdue_capped": counts["overdue"] > INBOX_COUNT_CAP,
        },
    )
