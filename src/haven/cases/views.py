"""Case pages: thin — parse, check access, call an action, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from haven.access import policy
from haven.access.forms import ConsentForm, ShareForm
from haven.access.models import DOCUMENT_SECTIONS, Section
from haven.audit import log as audit
from haven.cases import actions, choices, documents, reception_input, reception_matches, tasks
from haven.cases.forms import ROUTE_FIELDS, ChildFormSet, DocumentFormSet, ReceptionForm
from haven.cases.models import CaseStatus, EntryRoute
from haven.cases.search import (
    CappedPaginator,
    CaseSearchForm,
    filter_cases,
    looks_like_reference,
)
from haven.people.models import IdentityDocument, Person

PAGE_SIZE = 25


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _listing(queryset):
    return queryset.select_related("person", "owner", "province").order_by("-opened_at", "-id")


@login_required
@require_GET
def work_list(request):
    open_cases = policy.cases_writable_by(request.user).exclude(status=CaseStatus.CLOSED)
    context = {
        "cases": _listing(open_cases)[:PAGE_SIZE],
        "open_count": open_cases.count(),
        "routes": EntryRoute.choices,
    }
    return render(request, "cases/work_list.html", context)


@login_required
@require_GET
def case_list(request):
    form = CaseSearchForm(request.GET or None)
    cases = policy.cases_visible_to(request.user)
    with_identity = policy.cases_with_section(request.user, Section.IDENTITY)
    by_name = False
    if form.is_valid():
        cases = filter_cases(cases, form.cleaned_data, identity_visible=with_identity)
        query = form.cleaned_data.get("q", "").strip()
        by_name = bool(query) and not looks_like_reference(query)
    paginator = CappedPaginator(_listing(cases), PAGE_SIZE, one_pass=by_name)
    page = paginator.get_page(request.GET.get("page"))
    page_ids = [c.pk for c in page.object_list]
    page.identity_ids = (
        set(with_identity.filter(id__in=page_ids).values_list("id", flat=True))
        if page_ids
        else set()
    )
    details = {"results": page.paginator.count}
    if page.paginator.capped:
        details["more"] = True  # more than `results` matched; only that many were counted
    audit.record("case.search", user=request.user, ip_address=_client_ip(request), details=details)
    template = "cases/_case_rows.html" if request.htmx else "cases/case_list.html"
    if not request.htmx:
        # The filters' selects, without a query and a template per option on every search.
        choices.use_kept_options(form.fields["province"], "search-provinces")
        choices.fast_selects(form)
    return render(request, template, {"form": form, "page": page})


@login_required
@require_GET
def case_detail(request, reference):
    # The person is read below, once, with what the page shows of her.
    case = policy.get_case_for(request.user, reference, related=("owner", "province"))
    access = policy.case_access(request.user, case)
    audit.record(
        "case.view",
        user=request.user,
        obj=case,
        ip_address=_client_ip(request),
        details={"reference": case.reference, "sections": sorted(access.sections)},
    )
    people = Person.objects
    if access.sees(Section.IDENTITY):
        # What the identity card shows of her, in one query instead of one per place.
        people = people.select_related(
            "ethnicity", "nationality", "home_province__successor", "home_commune"
        )
    case.person = people.get(pk=case.person_id)
    documents_seen = [
        d
        for d in case.documents.select_related("uploaded_by")
        if access.sees(DOCUMENT_SECTIONS[d.kind])
    ]
    context = {
        "case": case,
        "access": access,
        "overdue_tasks": list(tasks.overdue(case.tasks.filter(done_at__isnull=True))),
        "person": case.person,
        "identity_documents": case.person.documents.select_related("issuing_country"),
        "receptions": case.receptions.select_related(
            "received_by",
            "province",
            "commune",
            "return_country",
            "destination_country",
            "recorded_by",
        ).prefetch_related("accompanying_children__child"),
        "handovers": case.handovers.select_related("from_organisation", "to_organisation"),
        "documents": documents_seen,
        "timeline": case.timeline.select_related("actor", "organisation"),
        "other_cases": policy.cases_visible_to(request.user)
        .filter(person=case.person)
        .exclude(pk=case.pk)
        .order_by("-opened_at")
        if access.sees(Section.IDENTITY)
        else [],
    }
    if access.can_share:
        consent_form, share_form = ConsentForm(), ShareForm(case=case)
        # Both forms list the active organisations: read them once, and write the options
        # without a template per option (the forms' querysets still check what is posted).
        recipient = consent_form.fields["recipient_organisation"]
        organisations = choices.options(
            "organisations-active-recipients", lambda: choices.organisation_options(recipient)
        )
        choices.show_options(recipient, organisations)
        choices.show_options(share_form.fields["recipient"], organisations, exclude=[case.owner_id])
        # The consents a share may rest on are among those the page lists anyway.
        consents = list(case.consents.select_related("recipient_organisation", "recorded_by"))
        on_consent = share_form.fields["consent"]
        allowed = set(on_consent.queryset.values_list("pk", flat=True)) if consents else set()
        choices.show_options(
            on_consent,
            [("", on_consent.empty_label)]
            + [(c.pk, on_consent.label_from_instance(c)) for c in consents if c.pk in allowed],
        )
        choices.fast_selects(consent_form, share_form)
        context.update(
            consents=consents,
            shares=case.shares.select_related("organisation", "consent", "created_by"),
            consent_form=consent_form,
            share_form=share_form,
        )
    return render(request, "cases/case_detail.html", context)


@login_required
@require_GET
def document_download(request, reference, document_id):
    case = policy.get_case_for(request.user, reference)
    document = get_object_or_404(case.documents, pk=document_id)
    if not policy.case_access(request.user, case).sees(DOCUMENT_SECTIONS[document.kind]):
        raise Http404("No such document")
    try:
        data = documents.read(document.storage_name)
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage") from exc
    audit.record(
        "document.download",
        user=request.user,
        obj=document,
        ip_address=_client_ip(request),
        details={"case": case.reference},
    )
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="document-{document.pk}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def reception_new(request, route):
    if route not in EntryRoute.values:
        raise Http404("No such entry route")
    organisations = policy.reception_organisations(request.user)
    if not organisations.exists():
        raise Http404("Not allowed to record receptions")
    post = request.method == "POST"
    form = ReceptionForm(request.POST if post else None, route=route, organisations=organisations)
    children = ChildFormSet(request.POST if post else None, prefix="child")
    uploads = DocumentFormSet(
        request.POST if post else None, request.FILES if post else None, prefix="doc"
    )
    match_panel = None
    if post and form.is_valid() and children.is_valid() and uploads.is_valid():
        data = form.cleaned_data
        person_fields = reception_input.person_fields(data)
        matches = reception_matches.check(request.user, person_fields, data)
        if matches.must_ask:
            match_panel = matches
        else:
            return _save_reception(request, form, children, uploads, person_fields, matches)
    elif post:
        messages.error(
            request,
            _(
                "The reception was not saved: please correct the fields "
                "marked below. Attached files must be chosen again."
            ),
        )
    if match_panel is not None:
        messages.warning(
            request,
            _(
                "Haven may already know this person. Say whether she is one of the persons "
                "below before saving. Attached files must be chosen again."
            ),
        )
    choices.fast_selects(form, *children.forms, *uploads.forms)
    context = {
        "form": form,
        "children": children,
        "uploads": uploads,
        "match_panel": match_panel,
        "route": route,
        "route_label": dict(EntryRoute.choices)[route],
        "route_fields": ROUTE_FIELDS[route],
        "document_kinds": IdentityDocument.Kind.choices,
    }
    status = 400 if post and match_panel is None else 200
    return render(request, "cases/reception_form.html", context, status=status)


def _save_reception(request, form, children, uploads, person_fields, matches):
    """Create the case (for a known person if she chose one), then keep the answers."""
    data = form.cleaned_data
    identity = None
    if data.get("document_kind"):
        identity = {"kind": data["document_kind"], "number": data["document_number"]}
    handover = None
    if data.get("handover_to"):
        handover = actions.NewHandover(
            to_organisation=data["handover_to"],
            handed_over_at=data["handover_at"],
            record_number=data.get("handover_record", ""),
        )
    case = actions.receive_person(
        user=request.user,
        organisation=data["organisation"],
        existing_person=matches.chosen,
        person_fields=person_fields,
        reception_fields=reception_input.reception_fields(form),
        identity_document=identity,
        children=[
            reception_input.child_fields(c, data["received_at"]) for c in children.cleaned_data if c
        ],
        new_documents=[
            actions.NewDocument(
                kind=f.cleaned_data["kind"],
                uploaded=f.cleaned_data["file"],
                content_type=f.content_type,
            )
            for f in uploads.forms
            if f.cleaned_data.get("file")
        ],
        handover=handover,
        ip_address=_client_ip(request),
    )
    reception_matches.keep_answers(request.user, case.person, matches)
    messages.success(request, _("Reception recorded as case %(ref)s.") % {"ref": case.reference})
    return redirect("cases:detail", reference=case.reference)
