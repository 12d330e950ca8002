from django import forms
from django.utils.translation import gettext_lazy as _

from haven.cases.models import EntryRoute
from haven.imports.engine import FIELDS


class UploadForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Register of"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("Register (Excel .xlsx or CSV in UTF-8)"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MappingForm(forms.Form):
    """One choice of column per Haven field, and the entry route of rows that name none."""

    default_route = forms.ChoiceField(
        label=_("Entry route, for rows that do not say"),
        choices=[("", "—")] + list(EntryRoute.choices),
        required=False,
    )

    def __init__(self, *args, headers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)"))] + [(h, h) for h in headers if h]
        for name, label in FIELDS.items():
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )

    def mapping(self) -> dict:
        return {
            name: self.cleaned_data[f"col_{name}"]
            for name in FIELDS
            if self.cleaned_data.get(f"col_{name}")
        }

    @staticmethod
    def initial_for(mapping: dict, default_route: str) -> dict:
        return {"default_route": default_route, **{f"col_{k}": v for k, v in mapping.items()}}
