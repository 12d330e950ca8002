"""Forms for the administration screens. Choices are always narrowed to the actor's scope."""

import unicodedata

from django import forms
from django.contrib.auth import forms as auth_forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.administration import scope as scopes
from haven.administration.actions import creates_cycle
from haven.agencies.models import FrameworkRole, Organisation, OrganisationKind, Role, User
from haven.places.models import Province

STATUS_CHOICES = [("active", _("active")), ("inactive", _("inactive")), ("all", _("all"))]


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def _active_managed(scope):
    return scopes.organisations_managed(scope).filter(is_active=True).order_by("name_vi")


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=200)
    province = forms.ModelChoiceField(label=_("Province"), required=False, queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("any"))] + OrganisationKind.choices
    )
    framework_role = forms.ChoiceField(
        label=_("Framework role"),
        required=False,
        choices=[("", _("any"))] + FrameworkRole.choices,
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = Province.objects.filter(valid_to__isnull=True)
        if not scope.national:
            provinces = Province.objects.filter(id__in=scope.provinces)
        self.fields["province"].queryset = provinces


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, user name or e-mail"), required=False, max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), required=False, queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("any"))] + Role.choices
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        managed = scopes.organisations_managed(scope).order_by("name_vi")
        self.fields["organisation"].queryset = managed


class OrganisationForm(forms.ModelForm):
    """Provinces and parent are limited to what the administrator may assign."""

    class Meta:
        model = Organisation
        fields = [
            "code",
            "name_vi",
            "name_en",
            "kind",
            "framework_role",
            "parent",
            "provinces",
            "country",
        ]
        widgets = {"provinces": forms.CheckboxSelectMultiple}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        current = self.instance.pk
        provinces = Province.objects.filter(valid_to__isnull=True)
        if current:
            provinces = Province.objects.filter(
                Q(valid_to__isnull=True) | Q(id__in=self.instance.provinces.values("id"))
            )
        parents = _active_managed(scope)
        if current:
            parents = Organisation.objects.filter(
                Q(id__in=parents.values("id")) | Q(id=self.instance.parent_id)
            ).exclude(id=current)
        if not scope.national:
            provinces = provinces.filter(id__in=scope.provinces)
            self.fields["provinces"].required = True
            self.fields["provinces"].help_text = _(
                "Choose at least one: only the provinces you administer are offered."
            )
        self.fields["provinces"].queryset = provinces.order_by("name_vi")
        self.fields["parent"].queryset = parents.order_by("name_vi")

    def clean_name_vi(self):
        return _nfc(self.cleaned_data["name_vi"])

    def clean_name_en(self):
        return _nfc(self.cleaned_data["name_en"])

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if creates_cycle(self.instance if self.instance.pk else None, parent):
            raise forms.ValidationError(_("An organisation cannot be placed below itself."))
        return parent

    def clean_provinces(self):
        provinces = self.cleaned_data.get("provinces")
        if not scopes.may_serve(self.scope, [p.pk for p in provinces or []]):
            raise forms.ValidationError(_("Choose only provinces you administer."))
        return provinces

    def action_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in self.Meta.fields if name != "provinces"}


def _unique_username(username: str, exclude_pk=None) -> None:
    others = User.objects.filter(username__iexact=username)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise forms.ValidationError(_("A user with that user name already exists."))


class UserCreateForm(auth_forms.UserCreationForm):
    """Django's own creation form (password validators included) plus a first membership."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    class Meta(auth_forms.UserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _active_managed(scope)

    def clean_first_name(self):
        return _nfc(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return _nfc(self.cleaned_data["last_name"])

    def user_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in self.Meta.fields}


class UserChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        _unique_username(username, exclude_pk=self.instance.pk)
        return username

    def clean_first_name(self):
        return _nfc(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return _nfc(self.cleaned_data["last_name"])

    def user_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in self.Meta.fields}


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Django's form: both entries must match and pass AUTH_PASSWORD_VALIDATORS."""


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, scope, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].queryset = _active_managed(scope)

    def clean(self):
        data = super().clean()
        organisation, role = data.get("organisation"), data.get("role")
        if organisation and role:
            held = self.user.memberships.filter(organisation=organisation, role=role)
            if held.filter(is_active=True).exists():
                raise forms.ValidationError(
                    _("This user already has this role in this organisation.")
                )
        return data
