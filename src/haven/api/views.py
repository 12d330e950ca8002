"""Pages for an organisation's administrators: their API clients. And the API's JSON 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from haven.api import clients
from haven.api.errors import body, use_requested_language
from haven.api.models import Scope
from haven.errors import ActionRefused


class ClientForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=None, empty_label=None
    )
    name = forms.CharField(
        label=gettext_lazy("Name of the system"),
        max_length=100,
        help_text=gettext_lazy("For example: provincial police register."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Allowed to"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


def _administered(request):
    organisations = clients.administered_organisations(request.user)
    if not organisations.exists():
        raise Http404("Not an administrator")
    return organisations


@login_required
def client_list(request):
    organisations = _administered(request)
    form = ClientForm(request.POST or None, organisations=organisations)
    created = token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created, token = clients.create_client(admin=request.user, **form.cleaned_data)
            except ActionRefused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        if created is None:
            status = 400
        else:
            form = ClientForm(organisations=organisations)
    context = {
        "form": form,
        "clients": clients.clients_managed_by(request.user).select_related(
            "organisation", "created_by"
        ),
        "created": created,
        "token": token,
    }
    response = render(request, "api/clients.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the page may hold a token shown once
    return response


@login_required
@require_POST
def client_revoke(request, client_id):
    _administered(request)
    client = get_object_or_404(clients.clients_managed_by(request.user), pk=client_id)
    try:
        clients.revoke_client(admin=request.user, client=client)
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The client %(name)s was revoked.") % {"name": client.name})
    return redirect("api:clients")


@csrf_exempt
def not_found(request):
    use_requested_language(request)
    return JsonResponse(body("not_found", _("Not found.")), status=404)
