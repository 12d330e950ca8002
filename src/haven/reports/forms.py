"""The dashboard's filters: a period (any range), a province within the user's scope, the
trend's granularity and the measure whose breakdowns are shown."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.places.models import Province
from haven.reports.models import ReportJob
from haven.reports.periods import Granularity, Period, default_granularity, default_period

MEASURES = [
    ("received", _("Persons received")),
    ("identified", _("Persons identified as victims")),
    ("supported", _("Persons supported")),
]
LONGEST_PERIOD_DAYS = 366 * 30


class DashboardForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    province = forms.ModelChoiceField(
        label=_("Province"),
        required=False,
        queryset=Province.objects.none(),
        empty_label=_("all in my scope"),
    )
    granularity = forms.ChoiceField(
        label=_("Trend by"), required=False, choices=[("", _("automatic")), *Granularity.CHOICES]
    )
    measure = forms.ChoiceField(label=_("Breakdowns of"), required=False, choices=MEASURES)

    def __init__(self, data, *, scope):
        period = default_period()
        initial = {"start": period.start, "end": period.end, "measure": "received"}
        merged = {**{k: str(v) for k, v in initial.items()}, **(data.dict() if data else {})}
        super().__init__(merged, initial=initial)
        units = Province.objects.filter(valid_to__isnull=True)
        if not scope.national:
            units = units.filter(id__in=scope.provinces)
        self.fields["province"].queryset = units.order_by("name_vi")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period ends before it starts."))
            elif (end - start).days > LONGEST_PERIOD_DAYS:
                self.add_error("start", _("Choose a period of at most 30 years."))
        return data

    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])

    def chosen_granularity(self) -> str:
        return self.cleaned_data.get("granularity") or default_granularity(self.period())

    def chosen_measure(self) -> str:
        return self.cleaned_data.get("measure") or "received"


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[c for c in ReportJob.Kind.choices if c[0] in ReportJob.EXPORT_KINDS]
    )
    format = forms.ChoiceField(choices=ReportJob.Format.choices)
    start = forms.DateField()
    end = forms.DateField()
    province = forms.IntegerField(required=False)
    release = forms.BooleanField(
        label=_("For release outside the organisation (hide small counts)"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReportJob.Kind.HTCDS and data.get("format") == "pdf":
            self.add_error("format", _("The HTCDS export is CSV or XLSX."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


def parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None
