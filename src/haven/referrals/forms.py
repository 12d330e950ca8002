"""Forms of the referral network."""

from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from haven.access.models import Consent, Section, Share
from haven.agencies.models import Organisation
from haven.cases.journey_forms import DATE, CaseForm
from haven.places.models import Province
from haven.referrals.models import (
    Activity,
    Assessment,
    Care,
    Funding,
    Language,
    ParticipantRole,
    Provider,
    QualityDomain,
    Referral,
    codes,
    join_codes,
)
from haven.support.models import SupportType

CHECKS = forms.CheckboxSelectMultiple


class CodesField(forms.MultipleChoiceField):
    """A multiple choice stored as comma-joined codes."""

    widget = CHECKS

    def prepare_value(self, value):
        return codes(value) if isinstance(value, str) else value


class ProviderForm(forms.ModelForm):
    services = CodesField(label=_("Services offered"), choices=SupportType.choices)
    languages = CodesField(
        label=_("Languages spoken besides Vietnamese"), required=False, choices=Language.choices
    )
    care = CodesField(label=_("Special care offered"), required=False, choices=Care.choices)
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinces served"),
        required=False,
        queryset=Province.objects.filter(valid_to__isnull=True),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Provider
        fields = [
            "maintained_by",
            "organisation",
            "name_vi",
            "name_en",
            "kind",
            "description",
            "services",
            "nationwide",
            "provinces",
            "takes_women",
            "takes_men",
            "takes_children",
            "takes_adults",
            "languages",
            "care",
            "places",
            "occupancy",
            "address",
            "phone",
            "email",
            "focal_person",
            "focal_phone",
            "focal_email",
            "is_active",
        ]

    def __init__(self, *args, maintainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["maintained_by"].queryset = maintainers
        self.fields["maintained_by"].empty_label = None
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)
        self.fields["organisation"].required = False
        if self.instance.pk:
            self.initial["provinces"] = list(self.instance.provinces.all())

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        maintainer = cleaned.get("maintained_by")
        # An organisation in Haven keeps its own entry: a third party may not claim it.
        if organisation is not None and maintainer is not None and organisation != maintainer:
            self.add_error(
                "organisation",
                _(
                    "Only the organisation itself can keep its entry. "
                    "List an outside service instead."
                ),
            )
        places, occupancy = cleaned.get("places"), cleaned.get("occupancy") or 0
        if places is not None and occupancy > places:
            self.add_error("occupancy", _("More places taken than there are places."))
        return cleaned

    def clean_services(self):
        return join_codes(self.cleaned_data["services"])

    def clean_languages(self):
        return join_codes(self.cleaned_data["languages"])

    def clean_care(self):
        return join_codes(self.cleaned_data["care"])


class FundingForm(forms.ModelForm):
    services = CodesField(
        label=_("For services (none: any)"), required=False, choices=SupportType.choices
    )

    class Meta:
        model = Funding
        fields = ["source", "amount", "remaining", "valid_until", "services"]
        widgets = {"valid_until": DATE}

    def clean_services(self):
        return join_codes(self.cleaned_data["services"])

    def clean(self):
        cleaned = super().clean()
        amount, remaining = cleaned.get("amount"), cleaned.get("remaining")
        if amount is not None and remaining is not None and remaining > amount:
            self.add_error("remaining", _("More remains than was given."))
        if (amount is not None and amount < 0) or (remaining is not None and remaining < 0):
            self.add_error("remaining", _("Amounts cannot be negative."))
        return cleaned


FundingFormSet = modelformset_factory(Funding, form=FundingForm, extra=1, can_delete=True)


class ReferralForm(CaseForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Referral.Kind.choices)
    to_organisation = forms.ModelChoiceField(label=_("Refer to"), queryset=None)
    services = forms.MultipleChoiceField(
        label=_("Services asked for"), choices=SupportType.choices, widget=CHECKS
    )
    sections = forms.MultipleChoiceField(
        label=_("Sections opened to them once they accept (a referral)"),
        required=False,
        choices=Section.choices,
        widget=CHECKS,
    )
    basis = forms.ChoiceField(label=_("Basis for sharing"), choices=Share.Basis.choices)
    consent = forms.ModelChoiceField(label=_("Her consent"), required=False, queryset=None)
    legal_basis = forms.CharField(
        label=_("Decision, order or provision of law cited"), required=False, max_length=300
    )
    disclose_care = forms.MultipleChoiceField(
        label=_("Special care to tell them about before they accept (only if needed)"),
        required=False,
        choices=Care.choices,
        widget=CHECKS,
    )
    note = forms.CharField(
        label=_("Note for them (never her name or contacts)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["to_organisation"].queryset = (
            Organisation.objects.filter(is_active=True, provider_entry__is_active=True)
            .exclude(pk=case.owner_id)
            .order_by("name_vi")
        )
        self.fields["consent"].queryset = case.consents.filter(
            purpose=Consent.Purpose.SHARE, decision=Consent.Decision.GIVEN
        ).select_related("recipient_organisation")


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"), choices=Referral.DeclineReason.choices)
    detail = forms.CharField(
        label=_("More about why"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeedbackForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What happened"), choices=Referral.Outcome.choices)
    feedback = forms.CharField(
        label=_("Feedback to the sender"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["assessor_organisation", "assessed_on", "tool", *QualityDomain.values, "notes"]
        widgets = {
            "assessed_on": DATE,
            **{d: forms.Select(choices=SCORE_CHOICES) for d in QualityDomain.values},
        }
        help_texts = {
            d: _("1 far below the standard · 3 meets it · 5 well above it")
            for d in QualityDomain.values[:1]
        }

    def __init__(self, *args, assessors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor_organisation"].queryset = assessors
        self.fields["assessor_organisation"].empty_label = None


class ActivityForm(forms.ModelForm):
    for_organisations = forms.ModelMultipleChoiceField(
        label=_("For organisations"),
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Activity
        fields = [
            "organiser",
            "kind",
            "title",
            "topics",
            "held_from",
            "held_to",
            "province",
            "facilitators",
            "for_organisations",
        ]
        widgets = {"held_from": DATE, "held_to": DATE}

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.fields["organiser"].empty_label = None
        self.fields["province"].queryset = Province.objects.filter(valid_to__isnull=True)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("held_from"), cleaned.get("held_to")
        if start and end and end < start:
            self.add_error("held_to", _("It cannot end before it starts."))
        return cleaned


class ParticipantsForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices)
    women = forms.IntegerField(label=_("Women"), min_value=0, required=False)
    men = forms.IntegerField(label=_("Men"), min_value=0, required=False)
    other = forms.IntegerField(label=_("Other or not stated"), min_value=0, required=False)


ParticipantsFormSet = forms.formset_factory(
    ParticipantsForm, extra=3, max_num=len(ParticipantRole.values)
)
