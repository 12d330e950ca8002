from django import forms
from django.utils.translation import gettext_lazy as _

from haven.access.models import Consent, Section, Share
from haven.agencies.models import Organisation, OrganisationKind


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    decision = forms.ChoiceField(
        label=_("Her decision"),
        choices=[(Consent.Decision.GIVEN, _("given")), (Consent.Decision.REFUSED, _("refused"))],
    )
    recipient_organisation = forms.ModelChoiceField(
        label=_("Share with (organisation)"),
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
    )
    recipient_kind = forms.ChoiceField(
        label=_("or any organisation of the kind"),
        required=False,
        choices=[("", "—")] + list(OrganisationKind.choices),
    )
    given_by = forms.ChoiceField(label=_("Decided by"), choices=Consent.GivenBy.choices)
    representative_name = forms.CharField(
        label=_("Legal representative's name"), required=False, max_length=200
    )
    informed_in_language = forms.CharField(
        label=_("She was informed in (language)"), max_length=100
    )
    interpreter_used = forms.BooleanField(label=_("An interpreter was used"), required=False)


class ShareForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("Share with"), queryset=Organisation.objects.filter(is_active=True)
    )
    sections = forms.MultipleChoiceField(
        label=_("Sections to share"), choices=Section.choices, widget=forms.CheckboxSelectMultiple
    )
    basis = forms.ChoiceField(label=_("Basis"), choices=Share.Basis.choices)
    consent = forms.ModelChoiceField(
        label=_("Consent"), required=False, queryset=Consent.objects.none()
    )
    legal_basis = forms.CharField(
        label=_("Decision, order or provision of law cited"), required=False, max_length=300
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].queryset = case.consents.filter(
            purpose=Consent.Purpose.SHARE, decision=Consent.Decision.GIVEN
        ).select_related("recipient_organisation")
        self.fields["recipient"].queryset = Organisation.objects.filter(is_active=True).exclude(
            pk=case.owner_id
        )


class EndShareForm(forms.Form):
    reason = forms.CharField(label=_("Why"), required=False, max_length=200)
