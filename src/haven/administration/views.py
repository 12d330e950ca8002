"""Administration screens: thin — parse, check scope, call an action, render.

Only administrators get past `administrators_only`; everyone else signed in gets 404, as
does an administrator asking for an organisation or user outside their scope.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.administration import actions, forms
from haven.administration import scope as scopes
from haven.agencies.models import Membership
from haven.audit import log as audit

PAGE_SIZE = 25


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def administrators_only(view):
    """Sign-in required; then 404 unless the user administers something."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        scope = scopes.admin_scope(request.user)
        request.admin_scope = scope  # the context processor reuses it for the menu
        if not scope.can_administer:
            raise Http404("Not an administrator")
        if request.method == "GET":
            # Changes are audited by their actions; reading the lists and pages is audited here.
            audit.record(
                "administration.view",
                user=request.user,
                ip_address=_client_ip(request),
                details={"page": request.resolver_match.view_name, **kwargs},
            )
        return view(request, scope, *args, **kwargs)

    return wrapper


def _status(queryset, status: str):
    if status == "inactive":
        return queryset.filter(is_active=False)
    if status == "all":
        return queryset
    return queryset.filter(is_active=True)


class BadActiveFlag(Exception):
    pass


def _active_flag(request) -> bool:
    """The submitted `active` value: "1" to (re)activate, "0" to deactivate."""
    value = request.POST.get("active")
    if value not in {"0", "1"}:
        raise BadActiveFlag
    return value == "1"


def _bad_active_flag():
    return HttpResponseBadRequest(_("Say whether to activate or deactivate."))


@administrators_only
@require_GET
def index(request, scope):
    return redirect("administration:organisations")


# Organisations


def _organisation_rows(scope, data: dict):
    organisations = scopes.organisations_managed(scope)
    query = (data.get("q") or "").strip()
    if query:
        organisations = organisations.filter(
            Q(code__icontains=query) | Q(name_vi__icontains=query) | Q(name_en__icontains=query)
        )
    if data.get("province"):
        served = scopes.ServedProvince.objects.filter(province=data["province"])
        organisations = organisations.filter(id__in=served.values("organisation_id"))
    if data.get("kind"):
        organisations = organisations.filter(kind=data["kind"])
    if data.get("framework_role"):
        organisations = organisations.filter(framework_role=data["framework_role"])
    organisations = _status(organisations, data.get("status") or "active")
    members = (
        Membership.objects.filter(organisation=OuterRef("pk"), is_active=True)
        .order_by()
        .values("organisation")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        organisations.select_related("parent", "country")
        .prefetch_related("provinces")
        .annotate(active_members=Coalesce(Subquery(members, output_field=IntegerField()), 0))
        .order_by("name_vi", "id")
    )


@administrators_only
@require_GET
def organisation_list(request, scope):
    form = forms.OrganisationFilterForm(request.GET or None, scope=scope)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(_organisation_rows(scope, data), PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "administration/_organisation_rows.html"
        if request.htmx
        else "administration/organisation_list.html"
    )
    return render(request, template, {"form": form, "page": page, "scope": scope})


def _organisation_form_page(request, scope, form, organisation=None, status=200):
    context = {"form": form, "organisation": organisation, "scope": scope}
    return render(request, "administration/organisation_form.html", context, status=status)


@administrators_only
@require_http_methods(["GET", "POST"])
def organisation_new(request, scope):
    form = forms.OrganisationForm(request.POST or None, scope=scope)
    if request.method == "POST":
        if form.is_valid():
            try:
                organisation = actions.create_organisation(
                    actor=request.user,
                    fields=form.action_fields(),
                    provinces=list(form.cleaned_data["provinces"]),
                    ip_address=_client_ip(request),
                )
            except actions.ActionRefused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(
                    request, _("Organisation %(name)s created.") % {"name": organisation.name}
                )
                return redirect("administration:organisation", pk=organisation.pk)
        else:
            messages.error(
                request,
                _("The organisation was not saved: please correct the fields marked below."),
            )
        return _organisation_form_page(request, scope, form, status=400)
    return _organisation_form_page(request, scope, form)


@administrators_only
@require_http_methods(["GET", "POST"])
def organisation_edit(request, scope, pk):
    organisation = scopes.get_organisation_for(scope, pk)
    form = forms.OrganisationForm(request.POST or None, instance=organisation, scope=scope)
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.change_organisation(
                    actor=request.user,
                    organisation=organisation,
                    fields=form.action_fields(),
                    provinces=list(form.cleaned_data["provinces"]),
                    ip_address=_client_ip(request),
                )
            except actions.ActionRefused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, _("Changes saved."))
                return redirect("administration:organisation", pk=organisation.pk)
        else:
            messages.error(
                request, _("The changes were not saved: please correct the fields marked below.")
            )
        organisation.refresh_from_db()  # the form changed the instance in memory only
        return _organisation_form_page(request, scope, form, organisation, status=400)
    return _organisation_form_page(request, scope, form, organisation)


@administrators_only
@require_POST
def organisation_active(request, scope, pk):
    organisation = scopes.get_organisation_for(scope, pk)
    try:
        active = _active_flag(request)
    except BadActiveFlag:
        return _bad_active_flag()
    try:
        actions.set_organisation_active(
            actor=request.user,
            organisation=organisation,
            active=active,
            ip_address=_client_ip(request),
        )
    except actions.ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Organisation reactivated.") if active else _("Organisation deactivated."),
        )
    return redirect("administration:organisation", pk=organisation.pk)


# Users


def _user_rows(scope, data: dict):
    users = scopes.users_managed(scope)
    query = (data.get("q") or "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    if data.get("organisation") or data.get("role"):
        held = Membership.objects.filter(is_active=True)
        if data.get("organisation"):
            held = held.filter(organisation=data["organisation"])
        if data.get("role"):
            held = held.filter(role=data["role"])
        users = users.filter(id__in=held.values("user_id"))
    users = _status(users, data.get("status") or "active")
    memberships = Membership.objects.select_related("organisation").order_by(
        "-is_active", "organisation__name_vi", "role"
    )
    return users.prefetch_related(Prefetch("memberships", queryset=memberships)).order_by(
        "username"
    )


@administrators_only
@require_GET
def user_list(request, scope):
    form = forms.UserFilterForm(request.GET or None, scope=scope)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(_user_rows(scope, data), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "administration/_user_rows.html" if request.htmx else "administration/user_list.html"
    return render(request, template, {"form": form, "page": page, "scope": scope})


@administrators_only
@require_http_methods(["GET", "POST"])
def user_new(request, scope):
    form = forms.UserCreateForm(request.POST or None, scope=scope)
    if request.method == "POST":
        if form.is_valid():
            user = actions.create_user(
                actor=request.user,
                fields=form.user_fields(),
                password=form.cleaned_data["password1"],
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                ip_address=_client_ip(request),
            )
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            return redirect("administration:user", pk=user.pk)
        messages.error(
            request,
            _(
                "The user was not saved: please correct the fields marked below. "
                "Passwords must be entered again."
            ),
        )
        return render(request, "administration/user_new.html", {"form": form}, status=400)
    return render(request, "administration/user_new.html", {"form": form})


def _user_page(request, scope, target, *, status=200, **bound):
    """The user's page; a form that failed validation is passed in `bound` to keep its input."""
    memberships = list(
        target.memberships.select_related("organisation").order_by(
            "-is_active", "organisation__name_vi", "role"
        )
    )
    managed = set(
        scopes.memberships_managed(scope).filter(user=target).values_list("id", flat=True)
    )
    for membership in memberships:
        membership.manageable = membership.pk in managed
    context = {
        "target": target,
        "memberships": memberships,
        "details_form": bound.get("details_form")
        or forms.UserChangeForm(instance=target, prefix="user"),
        "membership_form": bound.get("membership_form")
        or forms.MembershipForm(scope=scope, user=target, prefix="membership"),
        "password_form": bound.get("password_form")
        or forms.SetPasswordForm(target, prefix="password"),
    }
    return render(request, "administration/user_detail.html", context, status=status)


@administrators_only
@require_http_methods(["GET", "POST"])
def user_edit(request, scope, pk):
    target = scopes.get_user_for(scope, pk)
    if request.method == "GET":
        return _user_page(request, scope, target)
    form = forms.UserChangeForm(request.POST, instance=target, prefix="user")
    if form.is_valid():
        actions.change_user(
            actor=request.user,
            user=target,
            fields=form.user_fields(),
            ip_address=_client_ip(request),
        )
        messages.success(request, _("Changes saved."))
        return redirect("administration:user", pk=target.pk)
    messages.error(
        request, _("The changes were not saved: please correct the fields marked below.")
    )
    target.refresh_from_db()  # the form changed the instance in memory only
    return _user_page(request, scope, target, status=400, details_form=form)


@administrators_only
@require_POST
def user_password(request, scope, pk):
    target = scopes.get_user_for(scope, pk)
    form = forms.SetPasswordForm(target, request.POST, prefix="password")
    if form.is_valid():
        actions.set_user_password(
            actor=request.user,
            user=target,
            password=form.cleaned_data["new_password1"],
            ip_address=_client_ip(request),
        )
        messages.success(request, _("Password set."))
        return redirect("administration:user", pk=target.pk)
    messages.error(request, _("The password was not set: please correct the fields below."))
    return _user_page(request, scope, target, status=400, password_form=form)


@administrators_only
@require_POST
def user_active(request, scope, pk):
    target = scopes.get_user_for(scope, pk)
    try:
        active = _active_flag(request)
    except BadActiveFlag:
        return _bad_active_flag()
    actions.set_user_active(
        actor=request.user, user=target, active=active, ip_address=_client_ip(request)
    )
    messages.success(request, _("User reactivated.") if active else _("User deactivated."))
    return redirect("administration:user", pk=target.pk)


# Memberships


@administrators_only
@require_POST
def membership_add(request, scope, pk):
    target = scopes.get_user_for(scope, pk)
    form = forms.MembershipForm(request.POST, scope=scope, user=target, prefix="membership")
    if form.is_valid():
        try:
            actions.add_membership(
                actor=request.user,
                user=target,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                ip_address=_client_ip(request),
            )
        except actions.ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Role granted."))
            return redirect("administration:user", pk=target.pk)
    messages.error(request, _("The role was not granted: please correct the fields below."))
    return _user_page(request, scope, target, status=400, membership_form=form)


@administrators_only
@require_POST
def membership_active(request, scope, pk):
    membership = scopes.get_membership_for(scope, pk)
    try:
        active = _active_flag(request)
    except BadActiveFlag:
        return _bad_active_flag()
    actions.set_membership_active(
        actor=request.user, membership=membership, active=active, ip_address=_client_ip(request)
    )
    messages.success(request, _("Role reactivated.") if active else _("Role deactivated."))
    return redirect("administration:user", pk=membership.user_id)
