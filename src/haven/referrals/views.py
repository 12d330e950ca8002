"""Pages of the referral network: the directory, a case's referrals and matches, the
referrals an organisation sent and received, quality assessments and the activity log.

Access goes through `haven.referrals.access` and `haven.access.policy`; refusals are 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.access import policy
from haven.access.models import Section
from haven.agencies.models import Organisation
from haven.audit import log as audit
from haven.cases import tasks
from haven.cases.journey_views import case_action
from haven.errors import ActionRefused
from haven.people.models import Sex
from haven.places.models import Province
from haven.referrals import access, actions, matching
from haven.referrals import forms as f
from haven.referrals.models import (
    Activity,
    Assessment,
    Care,
    Funding,
    Language,
    Provider,
    ProviderKind,
    Referral,
)
from haven.support.models import SupportType

PAGE_SIZE = 50


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# --- The directory ----------------------------------------------------------------------


@login_required
@require_GET
def directory(request):
    access.require_directory(request.user)
    providers = (
        Provider.objects.filter(is_active=True)
        .select_related("maintained_by")
        .prefetch_related(
            "provinces",
            Prefetch("fundings", queryset=Funding.objects.order_by("id")),
            Prefetch("assessments", queryset=Assessment.objects.order_by("-assessed_on", "-id")),
        )
        .order_by("name_vi", "id")
    )
    service = request.GET.get("service", "")
    if service in SupportType.values:
        providers = providers.filter(services__contains=f",{service},")
    kind = request.GET.get("kind", "")
    if kind in ProviderKind.values:
        providers = providers.filter(kind=kind)
    province = request.GET.get("province", "")
    if province.isdigit():
        providers = providers.filter(Q(provinces__id=int(province)) | Q(nationwide=True)).distinct()
    query = request.GET.get("q", "").strip()
    if query:
        providers = providers.filter(Q(name_vi__icontains=query) | Q(name_en__icontains=query))
    page = Paginator(providers, PAGE_SIZE).get_page(request.GET.get("page"))
    stale_days = matching.stale_after_days()
    today = timezone.localdate()
    rows = []
    for provider in page:
        current = [x for x in provider.fundings.all() if x.is_current(today)]
        assessments = list(provider.assessments.all())
        rows.append(
            {
                "provider": provider,
                "stale": provider.is_stale(stale_days),
                "funds": sum(x.remaining for x in current),
                "has_funding": bool(current),
                "latest": assessments[0] if assessments else None,
            }
        )
    return render(
        request,
        "referrals/directory.html",
        {
            "rows": rows,
            "page": page,
            "stale_days": stale_days,
            "services": SupportType.choices,
            "kinds": ProviderKind.choices,
            "provinces": Province.objects.filter(valid_to__isnull=True).order_by("name_vi"),
            "filters": {"service": service, "kind": kind, "province": province, "q": query},
            "can_list": access.can_list_providers(request.user),
        },
    )


@login_required
@require_GET
def provider_detail(request, pk):
    access.require_directory(request.user)
    provider = get_object_or_404(
        Provider.objects.select_related(
            "organisation", "maintained_by", "updated_by"
        ).prefetch_related("provinces", "communes"),
        pk=pk,
    )
    stale_days = matching.stale_after_days()
    assessors = access.assessing_organisations(request.user, provider)
    return render(
        request,
        "referrals/provider_detail.html",
        {
            "provider": provider,
            "stale": provider.is_stale(stale_days),
            "stale_days": stale_days,
            "fundings": provider.fundings.all(),
            "assessments": provider.assessments.select_related("assessor_organisation"),
            "services": _labels(provider.service_codes, SupportType.choices),
            "languages": _labels(provider.language_codes, Language.choices),
            "care": _labels(provider.care_codes, Care.choices),
            "can_edit": access.can_edit_provider(request.user, provider),
            "assessment_form": f.AssessmentForm(assessors=assessors)
            if assessors.exists()
            else None,
            "today": timezone.localdate(),
        },
    )


def _labels(codes, choices) -> list[str]:
    names = dict(choices)
    return [str(names.get(c, c)) for c in codes]


def _save_provider_form(request, provider, maintainers):
    form = f.ProviderForm(request.POST or None, instance=provider, maintainers=maintainers)
    fundings = f.FundingFormSet(
        request.POST or None,
        prefix="funding",
        queryset=provider.fundings.all() if provider.pk else Funding.objects.none(),
    )
    if request.method == "POST" and form.is_valid() and fundings.is_valid():
        entry = form.save(commit=False)
        saved = fundings.save(commit=False)
        entry = actions.save_provider(
            user=request.user,
            provider=entry,
            provinces=form.cleaned_data["provinces"],
            fundings=saved,
            removed_fundings=fundings.deleted_objects,
        )
        messages.success(request, _("The entry is saved and marked current."))
        return redirect("referrals:provider", pk=entry.pk), form, fundings
    return None, form, fundings


@login_required
@require_http_methods(["GET", "POST"])
def provider_new(request):
    if not access.can_list_providers(request.user):
        raise Http404("No such page")
    maintainers = access.entry_organisations(request.user)
    provider = Provider()
    response, form, fundings = _save_provider_form(request, provider, maintainers)
    if response:
        return response
    return render(
        request,
        "referrals/provider_form.html",
        {"form": form, "fundings": fundings, "provider": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request, pk):
    provider = access.get_provider_for_edit(request.user, pk)
    maintainers = access.entry_organisations(request.user)
    if access.is_administrator(request.user):
        maintainers = Organisation.objects.filter(is_active=True)
    response, form, fundings = _save_provider_form(request, provider, maintainers)
    if response:
        return response
    return render(
        request,
        "referrals/provider_form.html",
        {"form": form, "fundings": fundings, "provider": provider},
    )


@login_required
@require_POST
def assessment_new(request, pk):
    access.require_directory(request.user)
    provider = get_object_or_404(Provider, pk=pk)
    assessors = access.assessing_organisations(request.user, provider)
    if not assessors.exists():
        raise Http404("No such page")
    form = f.AssessmentForm(request.POST, assessors=assessors)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = dict(form.cleaned_data)
        organisation = data.pop("assessor_organisation")
        actions.record_assessment(
            user=request.user, organisation=organisation, provider=provider, **data
        )
        messages.success(request, _("Assessment recorded."))
    return redirect("referrals:provider", pk=provider.pk)


# --- A case's referrals and matches -----------------------------------------------------


@login_required
@require_GET
def case_referrals(request, reference):
    """The Referrals tab: her needs, providers ranked with the reasons, her referrals."""
    case = policy.get_case_for(request.user, reference, for_write=True)
    access_ = policy.case_access(request.user, case)
    audit.record(
        "case.view",
        user=request.user,
        obj=case,
        details={"reference": case.reference, "tab": "referrals"},
    )
    need = request.GET.get("need", "")
    need = need if need in SupportType.values else None
    profile, matches, excluded, providers = matching.suggest(case, need=need)
    form_initial = {}
    chosen = request.GET.get("provider", "")
    if chosen.isdigit() and int(chosen) in providers:
        entry = providers[int(chosen)]
        form_initial = {
            "to_organisation": entry.organisation_id,
            "services": sorted(profile.needs & set(entry.service_codes)),
        }
    referrals = case.referrals.select_related(
        "from_organisation", "to_organisation", "decided_by", "created_by"
    )
    return render(
        request,
        "referrals/case_tab.html",
        {
            "case": case,
            "access": access_,
            "person": case.person,
            "tab": "referrals",
            "overdue_tasks": list(tasks.overdue(case.tasks.filter(done_at__isnull=True))),
            "profile": profile,
            "needs": _labels(sorted(profile.needs), SupportType.choices),
            "need": need or "",
            "services": SupportType.choices,
            "matches": [(m, providers[m.provider.id]) for m in matches],
            "excluded": [(x, providers[x.provider.id]) for x in excluded],
            "referrals": referrals,
            "form": f.ReferralForm(case=case, initial=form_initial),
        },
    )


def _send(user, organisation, case, data, pk):
    actions.send_referral(
        user=user,
        organisation=organisation,
        case=case,
        to_organisation=data["to_organisation"],
        kind=data["kind"],
        services=data["services"],
        sections=data["sections"],
        basis=data["basis"],
        consent=data["consent"],
        legal_basis=data["legal_basis"],
        disclose_care=data["disclose_care"],
        note=data["note"],
    )


referral_create = case_action(
    f.ReferralForm, _send, "referrals:case", gettext_lazy("Referral sent.")
)


# --- Referrals sent and received --------------------------------------------------------


@login_required
@require_GET
def referral_list(request):
    ids = access.working_org_ids(request.user)
    if not ids:
        raise Http404("No such page")
    base = Referral.objects.select_related("case", "from_organisation", "to_organisation")
    status = request.GET.get("status", "")
    if status in Referral.Status.values:
        base = base.filter(status=status)
    received = base.filter(to_organisation_id__in=ids)
    sent = base.filter(from_organisation_id__in=ids)
    return render(
        request,
        "referrals/referral_list.html",
        {
            "received": received[:100],
            "received_count": received.count(),
            "sent": sent[:100],
            "sent_count": sent.count(),
            "statuses": Referral.Status.choices,
            "status": status,
        },
    )


def summary_rows(referral) -> list[tuple[str, str]]:
    """The decision summary, labelled for display."""
    s = referral.summary
    province = Province.objects.filter(pk=s.get("province")).first()
    from haven.cases.models import IdentificationStatus

    rows = [
        (_("Age group"), s.get("age_group") or _("not known")),
        (_("Child"), _("yes") if s.get("child") else _("no")),
        (_("Sex"), str(dict(Sex.choices).get(s.get("sex"), ""))),
        (
            _("Identification status"),
            str(dict(IdentificationStatus.choices).get(s.get("identification_status"), "")),
        ),
        (_("Province of the case"), province.name if province else ""),
        (_("Services asked for"), ", ".join(_labels(s.get("needs", []), SupportType.choices))),
        (
            _("Languages besides Vietnamese"),
            ", ".join(_labels(s.get("languages", []), Language.choices)) or _("none stated"),
        ),
        (_("Needs an interpreter"), _("yes") if s.get("needs_interpreter") else _("no")),
        (_("Special care"), ", ".join(_labels(s.get("care", []), Care.choices)) or _("none")),
    ]
    return rows


@login_required
@require_GET
def referral_detail(request, pk):
    referral = access.get_referral_for(request.user, pk)
    ids = access.working_org_ids(request.user)
    is_sender = referral.from_organisation_id in ids
    is_receiver = referral.to_organisation_id in ids
    pending = referral.status == Referral.Status.PENDING
    audit.record(
        "referral.view",
        user=request.user,
        obj=referral,
        details={"case": referral.case.reference, "sender": is_sender},
    )
    case_visible = policy.cases_visible_to(request.user).filter(pk=referral.case_id).exists()
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "summary": summary_rows(referral),
            "services": _labels(referral.service_codes, SupportType.choices),
            "sections": _labels(referral.section_codes, Section.choices),
            "is_sender": is_sender,
            "is_receiver": is_receiver,
            "case_visible": case_visible,
            "decline_form": f.DeclineForm() if is_receiver and pending else None,
            "can_accept": is_receiver and pending,
            "can_withdraw": is_sender and pending,
            "feedback_form": f.FeedbackForm()
            if is_receiver
            and referral.status in (Referral.Status.ACCEPTED, Referral.Status.COMPLETED)
            else None,
        },
    )


def _acting(user, referral, side) -> Organisation:
    return referral.to_organisation if side == "receiver" else referral.from_organisation


def _referral_action(side, form_class, run, success):
    @login_required
    @require_POST
    def view(request, pk):
        referral = access.get_referral_for(request.user, pk, side=side)
        form = form_class(request.POST) if form_class else None
        if form is not None and not form.is_valid():
            _form_errors(request, form)
            return redirect("referrals:detail", pk=referral.pk)
        try:
            run(
                request.user,
                _acting(request.user, referral, side),
                referral,
                form.cleaned_data if form else {},
            )
        except ActionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success)
        return redirect("referrals:detail", pk=referral.pk)

    return view


accept = _referral_action(
    "receiver",
    None,
    lambda u, o, r, d: actions.accept_referral(user=u, organisation=o, referral=r),
    gettext_lazy("Referral accepted: the sections it names are now open to you."),
)
decline = _referral_action(
    "receiver",
    f.DeclineForm,
    lambda u, o, r, d: actions.decline_referral(
        user=u, organisation=o, referral=r, reason=d["reason"], detail=d["detail"]
    ),
    gettext_lazy("Referral declined; it goes back to the sender."),
)
withdraw = _referral_action(
    "sender",
    None,
    lambda u, o, r, d: actions.withdraw_referral(user=u, organisation=o, referral=r),
    gettext_lazy("Referral withdrawn."),
)
feedback = _referral_action(
    "receiver",
    f.FeedbackForm,
    lambda u, o, r, d: actions.record_feedback(
        user=u, organisation=o, referral=r, outcome=d["outcome"], feedback=d["feedback"]
    ),
    gettext_lazy("Feedback sent to the referring organisation."),
)


# --- Capacity-building log --------------------------------------------------------------


@login_required
@require_GET
def activities(request):
    access.require_directory(request.user)
    listed = (
        Activity.objects.select_related("organiser", "province")
        .prefetch_related("for_organisations", "participants")
        .annotate(
            women=Sum("participants__women"),
            men=Sum("participants__men"),
            others=Sum("participants__other"),
        )
        .order_by("-held_from", "-id")
    )
    query = request.GET.get("q", "").strip()
    if query:
        listed = listed.filter(title__icontains=query)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/activities.html",
        {
            "page": page,
            "q": query,
            "can_record": access.can_record_activities(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request):
    if not access.can_record_activities(request.user):
        raise Http404("No such page")
    organisers = access.entry_organisations(request.user)
    form = f.ActivityForm(request.POST or None, organisers=organisers)
    participants = f.ParticipantsFormSet(request.POST or None, prefix="participants")
    if request.method == "POST" and form.is_valid() and participants.is_valid():
        data = dict(form.cleaned_data)
        organiser = data.pop("organiser")
        for_organisations = data.pop("for_organisations")
        rows = [
            (p["role"], p.get("women"), p.get("men"), p.get("other"))
            for p in participants.cleaned_data
            if p.get("role")
        ]
        try:
            actions.record_activity(
                user=request.user,
                organisation=organiser,
                fields=data,
                for_organisations=for_organisations,
                participants=rows,
            )
        except ActionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Activity recorded."))
            return redirect("referrals:activities")
    return render(
        request, "referrals/activity_form.html", {"form": form, "participants": participants}
    )
