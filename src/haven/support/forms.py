from django import forms
from django.utils.translation import gettext_lazy as _

from haven.cases.journey_forms import DATE, CaseForm, active_organisations
from haven.support.models import (
    CaseConference,
    Closure,
    FollowUpVisit,
    RiskAssessment,
    Service,
    SupportType,
)


class PlanForm(CaseForm):
    made_with_her = forms.BooleanField(
        label=_("She took part in making the plan"), required=False, initial=True
    )
    her_goals = forms.CharField(
        label=_("Her goals, in her words"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    her_choices = forms.CharField(
        label=_("Her choices and wishes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ServiceForm(CaseForm):
    support_type = forms.ChoiceField(label=_("Support"), choices=SupportType.choices)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Service.Status.PLANNED, _("planned")),
            (Service.Status.DELIVERED, _("delivered")),
        ],
    )
    provider = forms.ModelChoiceField(label=_("Provider"), required=False, queryset=None)
    starts_on = forms.DateField(label=_("From"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DATE)
    quantity = forms.DecimalField(
        label=_("Quantity"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    unit = forms.CharField(label=_("Unit (day, session…)"), required=False, max_length=20)
    cost = forms.DecimalField(
        label=_("Cost (VND)"), required=False, min_value=0, max_digits=14, decimal_places=0
    )
    paid_by = forms.ModelChoiceField(label=_("Paying organisation"), required=False, queryset=None)
    funding_source = forms.CharField(label=_("Funding source"), required=False, max_length=200)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["provider"].queryset = active_organisations()
        self.fields["paid_by"].queryset = active_organisations()


class DeliverForm(CaseForm):
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DATE)
    quantity = forms.DecimalField(
        label=_("Quantity"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    cost = forms.DecimalField(
        label=_("Cost (VND)"), required=False, min_value=0, max_digits=14, decimal_places=0
    )


class DeclineForm(CaseForm):
    reason = forms.CharField(
        label=_("Why she declined (optional)"), required=False, max_length=1000
    )


class ExtensionForm(CaseForm):
    extra_days = forms.IntegerField(label=_("Extra days"), min_value=1, max_value=365)
    approved_by_name = forms.CharField(label=_("Approved by (name and title)"), max_length=200)
    approving_organisation = forms.ModelChoiceField(
        label=_("Approving organisation"), queryset=None
    )
    approved_on = forms.DateField(label=_("Approved on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["approving_organisation"].queryset = active_organisations()


class RiskForm(CaseForm):
    subject = forms.ChoiceField(label=_("About"), choices=RiskAssessment.Subject.choices)
    level = forms.ChoiceField(label=_("Level"), choices=RiskAssessment.Level.choices)
    risks = forms.MultipleChoiceField(
        label=_("Risks"),
        required=False,
        choices=RiskAssessment.Risk.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    measures = forms.CharField(
        label=_("Protective measures"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    measures_by = forms.ModelChoiceField(
        label=_("Measures carried out by"), required=False, queryset=None
    )
    she_asked_for_protection = forms.BooleanField(
        label=_("She asked for protection"), required=False
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["measures_by"].queryset = active_organisations()


class IncidentForm(CaseForm):
    description = forms.CharField(
        label=_("What happened"), max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReintegrateForm(CaseForm):
    reintegrated_on = forms.DateField(label=_("Reintegrated on"), widget=DATE)
    visiting_organisation = forms.ModelChoiceField(
        label=_("Organisation that will visit"), required=False, queryset=None
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["visiting_organisation"].queryset = active_organisations()


class VisitForm(CaseForm):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    wellbeing = forms.ChoiceField(label=_("Wellbeing"), choices=FollowUpVisit.Rating.choices)
    income = forms.ChoiceField(label=_("Income"), choices=FollowUpVisit.Rating.choices)
    housing = forms.ChoiceField(label=_("Housing"), choices=FollowUpVisit.Rating.choices)
    safety = forms.ChoiceField(label=_("Safety"), choices=FollowUpVisit.Rating.choices)
    re_trafficking_risk = forms.ChoiceField(
        label=_("Re-trafficking risk"), choices=RiskAssessment.Level.choices
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConferenceForm(CaseForm):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    reason = forms.ChoiceField(label=_("Why"), choices=CaseConference.Reason.choices)
    organisations = forms.ModelMultipleChoiceField(label=_("Agencies taking part"), queryset=None)
    decisions = forms.CharField(
        label=_("Decisions"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["organisations"].queryset = active_organisations()


class ClosureRequestForm(CaseForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=Closure.Reason.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RefuseForm(CaseForm):
    reason = forms.CharField(label=_("Why the closure is refused"), max_length=300)


class ReopenForm(CaseForm):
    reason = forms.CharField(label=_("Why the case is reopened"), max_length=300)
