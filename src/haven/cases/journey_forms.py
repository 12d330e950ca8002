"""Forms for the steps of a case. Each takes the `case` it is for."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from haven.agencies.models import Organisation
from haven.cases.models import Case, DecisionEvidence, IdentificationStatus, ReturnStep
from haven.cases.models.identification import Act, Means, Purpose

DATE = forms.DateInput(attrs={"type": "date"})


class CaseForm(forms.Form):
    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case


def active_organisations():
    return Organisation.objects.filter(is_active=True).order_by("name_vi")


class ScreeningForm(CaseForm):
    acts = forms.MultipleChoiceField(
        label=_("Acts"), required=False, choices=Act.choices, widget=forms.CheckboxSelectMultiple
    )
    means = forms.MultipleChoiceField(
        label=_("Means (not required for a child)"),
        required=False,
        choices=Means.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes of exploitation"),
        required=False,
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(CaseForm):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in IdentificationStatus.choices if c[0] != IdentificationStatus.UNDECIDED],
    )
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE)
    evidence = forms.MultipleChoiceField(
        label=_("Evidence and signs cited (Art. 32)"),
        choices=DecisionEvidence.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_description = forms.CharField(
        label=_("Describe the evidence"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    legal_basis = forms.CharField(
        label=_("Article cited"), max_length=200, initial=gettext_noop("Law 53/2024/QH15 Art. 32")
    )
    in_vietnam = forms.BooleanField(label=_("She is in Vietnam"), required=False, initial=True)
    referred_to = forms.CharField(
        label=_("Referred instead to (not a victim)"), required=False, max_length=300
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransitionForm(CaseForm):
    status = forms.ChoiceField(label=_("Move to"), choices=[])

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        from haven.cases.workflow import allowed_next

        labels = dict(Case._meta.get_field("status").choices)
        self.fields["status"].choices = [(s, labels[s]) for s in allowed_next(case)]


class ReturnStepDoneForm(CaseForm):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (ReturnStep.Status.DONE, _("done")),
            (ReturnStep.Status.NOT_NEEDED, _("not needed")),
        ],
    )
    cost = forms.DecimalField(
        label=_("Cost (VND)"), required=False, min_value=0, max_digits=14, decimal_places=0
    )
    paid_by = forms.ModelChoiceField(label=_("Paid by"), required=False, queryset=None)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["paid_by"].queryset = active_organisations()


class ReturnStepAssignForm(CaseForm):
    to_organisation = forms.ModelChoiceField(label=_("Responsible organisation"), queryset=None)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["to_organisation"].queryset = active_organisations()


class ReturnWishForm(CaseForm):
    wish = forms.ChoiceField(label=_("Her wish after return"), choices=Case.ReturnWish.choices)
