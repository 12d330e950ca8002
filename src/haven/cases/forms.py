"""The reception form, one per entry route, and its validation.

Each route shows the common fields plus its own (`ROUTE_FIELDS`). Every error is a message
in the user's language; the form is re-shown with what was typed.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.agencies.models import Organisation
from haven.cases import choices, documents
from haven.cases.models import EntryRoute, ExploitationForm, Reception, Recruitment
from haven.people.models import IdentityDocument, Sex
from haven.places.models import Commune, Country, Ethnicity, Province, communes_of

ROUTE_FIELDS = {
    EntryRoute.BORDER_HANDOVER: [
        "border_kind",
        "handed_over_by",
        "foreign_authority",
        "handover_record_number",
        "persons_on_list",
    ],
    EntryRoute.POLICE: ["police_operation", "rescued"],
    EntryRoute.RETURN_FROM_ABROAD: [
        "return_country",
        "foreign_agency_contact",
        "travel_document_status",
    ],
    EntryRoute.SELF_REPORT: ["reported_at"],
}
ROUTE_REQUIRED = {
    EntryRoute.BORDER_HANDOVER: ["border_kind", "handed_over_by"],
    EntryRoute.POLICE: [],
    EntryRoute.RETURN_FROM_ABROAD: ["return_country", "travel_document_status"],
    EntryRoute.SELF_REPORT: ["reported_at"],
}
ALL_ROUTE_FIELDS = {name for names in ROUTE_FIELDS.values() for name in names}
MAX_AGE = 120
# Far-out years crash time-zone arithmetic; no record in Haven predates the 2000s.
EARLIEST_RECEPTION_YEAR = 1990


class PlaceChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("This place is not in Haven's list. Choose one from the list."),
    }


class CommuneField(PlaceChoiceField):
    """Offers one province's communes, but recognises every commune when validating, so a
    commune of the wrong province gets that message rather than "not in the list"."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return Commune.objects.get(pk=int(value))
        except (ValueError, TypeError, Commune.DoesNotExist) as exc:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from exc


class ProvinceField(PlaceChoiceField):
    def label_from_instance(self, obj):
        if obj.is_current:
            return obj.name
        return _("%(name)s (former province, now %(current)s)") % {
            "name": obj.name,
            "current": obj.current_unit().name,
        }


def _province_queryset():
    return Province.objects.select_related("successor").order_by("valid_to", "name_vi")


class ReceptionForm(forms.Form):
    """Reception of one person on one entry route."""

    # Who received, when and where
    organisation = forms.ModelChoiceField(
        label=_("Received by"), queryset=Organisation.objects.none(), empty_label=None
    )
    received_at = forms.DateTimeField(
        label=_("Date and time of reception"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    province = ProvinceField(label=_("Province of reception"), queryset=Province.objects.none())
    commune = CommuneField(
        label=_("Commune or ward of reception"), queryset=Commune.objects.none(), required=False
    )
    place_detail = forms.CharField(
        label=_("Place (border gate, address)"), required=False, max_length=200
    )

    # The person
    full_name = forms.CharField(label=_("Full name, as she gives it"), max_length=200)
    other_names = forms.CharField(
        label=_("Other names or nicknames"), required=False, max_length=300
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    approximate_age = forms.IntegerField(
        label=_("Approximate age, if the date of birth is not known"),
        required=False,
        min_value=0,
        max_value=MAX_AGE,
    )
    ethnicity = PlaceChoiceField(
        label=_("Ethnicity"), queryset=Ethnicity.objects.all(), required=False
    )
    languages = forms.CharField(label=_("Languages spoken"), required=False, max_length=200)
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    nationality = PlaceChoiceField(
        label=_("Nationality"), queryset=Country.objects.all(), required=False
    )
    document_kind = forms.ChoiceField(
        label=_("Identity document"),
        required=False,
        choices=[("", _("none"))] + list(IdentityDocument.Kind.choices),
    )
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=50)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    home_province = ProvinceField(
        label=_("Home province"), queryset=Province.objects.none(), required=False
    )
    home_commune = PlaceChoiceField(
        label=_("Home commune or ward"), queryset=Commune.objects.none(), required=False
    )
    home_address = forms.CharField(
        label=_("Village, street and house number"), required=False, max_length=300
    )

    # Route-specific
    border_kind = forms.ChoiceField(
        label=_("Border"), required=False, choices=[("", "—")] + list(Reception.BorderKind.choices)
    )
    handed_over_by = forms.ChoiceField(
        label=_("Handed over by"),
        required=False,
        choices=[("", "—")] + list(Reception.HandedOverBy.choices),
    )
    foreign_authority = forms.CharField(
        label=_("Foreign authority"), required=False, max_length=200
    )
    handover_record_number = forms.CharField(
        label=_("Handover record number"), required=False, max_length=100
    )
    persons_on_list = forms.IntegerField(
        label=_("Persons on the handover list"), required=False, min_value=1, max_value=10000
    )
    police_operation = forms.CharField(
        label=_("Police operation or unit"), required=False, max_length=200
    )
    rescued = forms.BooleanField(label=_("Rescued in an operation"), required=False)
    return_country = PlaceChoiceField(
        label=_("Returning from (country)"), queryset=Country.objects.all(), required=False
    )
    foreign_agency_contact = forms.CharField(
        label=_("Foreign agency contact"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    travel_document_status = forms.ChoiceField(
        label=_("Travel document"),
        required=False,
        choices=[("", "—")] + list(Reception.TravelDocumentStatus.choices),
    )
    reported_at = forms.ChoiceField(
        label=_("Where she reported"),
        required=False,
        choices=[("", "—")] + list(Reception.ReportedAt.choices),
    )

    # The situation as she tells it
    destination_country = PlaceChoiceField(
        label=_("Country where she was exploited"), queryset=Country.objects.all(), required=False
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        required=False,
        choices=ExploitationForm.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    recruitment = forms.ChoiceField(
        label=_("How she was recruited"),
        required=False,
        choices=[("", "—")] + list(Recruitment.choices),
    )
    exploitation_from = forms.DateField(
        label=_("Exploited from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    exploitation_to = forms.DateField(
        label=_("Exploited until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    account = forms.CharField(
        label=_("Her account, in her words"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    # Immediate needs
    need_medical = forms.BooleanField(label=_("Medical care"), required=False)
    need_shelter = forms.BooleanField(label=_("Shelter"), required=False)
    need_food = forms.BooleanField(label=_("Food"), required=False)
    need_clothing = forms.BooleanField(label=_("Clothing"), required=False)
    need_safety = forms.BooleanField(label=_("Safety"), required=False)
    needs_notes = forms.CharField(
        label=_("Notes on immediate needs"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    # Handover to another organisation, if it happened at reception
    handover_to = forms.ModelChoiceField(
        label=_("Handed over to"), required=False, queryset=Organisation.objects.none()
    )
    handover_at = forms.DateTimeField(
        label=_("Handed over at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    handover_record = forms.CharField(
        label=_("Record number of the handover"), required=False, max_length=100
    )

    # The answer about likely matches: "" (not asked yet), "new", or a person's id.
    match_choice = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args, route: str, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.route = route
        for name in ALL_ROUTE_FIELDS - set(ROUTE_FIELDS[route]):
            del self.fields[name]
        for name in ROUTE_REQUIRED[route]:
            self.fields[name].required = True
        self.fields["organisation"].queryset = organisations
        provinces = _province_queryset()
        self.fields["province"].queryset = provinces.filter(valid_to__isnull=True)
        self.fields["home_province"].queryset = provinces
        self.fields["handover_to"].queryset = Organisation.objects.filter(is_active=True)
        self._limit_communes("province", "commune")
        self._limit_communes("home_province", "home_commune")
        self._keep_long_options()

    def _keep_long_options(self):
        """Show the long lists from the per-process cache (validation still queries)."""
        communes = reverse("places:commune-options")
        for name, commune in (("province", "commune"), ("home_province", "home_commune")):
            self.fields[name].widget.attrs.update(
                {"hx-get": communes, "hx-target": f"#id_{commune}", "hx-trigger": "change"}
            )
        kept = {
            "province": "provinces-current",
            "home_province": "provinces-all",
            "ethnicity": "ethnicities",
            "nationality": "countries",
            "return_country": "countries",
            "destination_country": "countries",
            "handover_to": "organisations-active",
        }
        for name, key in kept.items():
            if name in self.fields:
                choices.use_kept_options(self.fields[name], key)

    def _limit_communes(self, province_field: str, commune_field: str):
        """Offer only the chosen province's communes (all of them while validating)."""
        province_code = self.data.get(province_field) if self.is_bound else None
        if province_code and str(province_code).isdigit():
            self.fields[commune_field].queryset = communes_of(province_code)

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value.year < EARLIEST_RECEPTION_YEAR:
            raise ValidationError(
                _("A reception before %(year)s cannot be recorded here; check the year.")
                % {"year": EARLIEST_RECEPTION_YEAR},
                code="too_old",
            )
        if value > timezone.now() + datetime.timedelta(minutes=5):
            raise ValidationError(_("The reception cannot be in the future."), code="future")
        return value

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise ValidationError(_("The date of birth cannot be in the future."), code="future")
        if value and value.year < timezone.localdate().year - MAX_AGE:
            raise ValidationError(
                _("This date of birth is more than 120 years ago."), code="too_old"
            )
        return value

    def clean_document_number(self):
        return self.cleaned_data.get("document_number", "").strip()

    def clean(self):
        data = super().clean()
        received_at = data.get("received_at")
        born = data.get("date_of_birth")
        if born and received_at and born > timezone.localtime(received_at).date():
            self.add_error(
                "date_of_birth",
                ValidationError(
                    _("The date of birth is after the date of reception."), code="born_after"
                ),
            )
        if born and data.get("approximate_age") is not None:
            self.add_error(
                "approximate_age",
                ValidationError(
                    _("Give either the date of birth or an approximate age, not both."),
                    code="both_ages",
                ),
            )
        start, end = data.get("exploitation_from"), data.get("exploitation_to")
        if start and end and end < start:
            self.add_error(
                "exploitation_to",
                ValidationError(
                    _("The end of the exploitation is before its start."), code="order"
                ),
            )
        if received_at and start and start > timezone.localtime(received_at).date():
            self.add_error(
                "exploitation_from",
                ValidationError(
                    _("The exploitation cannot start after the reception."), code="after_reception"
                ),
            )
        if data.get("document_number") and not data.get("document_kind"):
            self.add_error(
                "document_kind",
                ValidationError(
                    _("Say what kind of document this number belongs to."), code="kind_missing"
                ),
            )
        if data.get("document_kind") and not data.get("document_number"):
            self.add_error(
                "document_number",
                ValidationError(
                    _("Enter the document number, or choose “none”."), code="number_missing"
                ),
            )
        self._check_commune("province", "commune")
        self._check_commune("home_province", "home_commune")
        if data.get("handover_to") and not data.get("handover_at"):
            self.add_error(
                "handover_at", ValidationError(_("Say when she was handed over."), code="required")
            )
        handover_at = data.get("handover_at")
        if handover_at and received_at and handover_at < received_at:
            self.add_error(
                "handover_at",
                ValidationError(_("The handover cannot be before the reception."), code="order"),
            )
        if handover_at and handover_at > timezone.now() + datetime.timedelta(minutes=5):
            self.add_error(
                "handover_at",
                ValidationError(_("The handover cannot be in the future."), code="future"),
            )
        return data

    def _check_commune(self, province_field: str, commune_field: str):
        province = self.cleaned_data.get(province_field)
        commune = self.cleaned_data.get(commune_field)
        if commune and province and commune.province_id not in {province.pk, province.successor_id}:
            self.add_error(
                commune_field,
                ValidationError(
                    _("This commune is not in the chosen province."), code="wrong_province"
                ),
            )
        if commune and not province:
            self.add_error(
                province_field,
                ValidationError(_("Choose the province of this commune."), code="required"),
            )


# Extra rows start blank (empty first choices), so an untouched row is skipped, not refused.
class ChildForm(forms.Form):
    full_name = forms.CharField(label=_("Child's name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—")] + list(Sex.choices))
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    approximate_age = forms.IntegerField(
        label=_("Approximate age"), required=False, min_value=0, max_value=17
    )
    relationship = forms.CharField(label=_("Relationship"), required=False, max_length=100)

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise ValidationError(_("The date of birth cannot be in the future."), code="future")
        return value


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=[])
    file = forms.FileField(label=_("File (PDF, PNG or JPEG)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from haven.cases.models import Document

        self.fields["kind"].choices = [("", "—")] + list(Document.Kind.choices)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.content_type = documents.validate_upload(uploaded)
        return uploaded


ChildFormSet = forms.formset_factory(ChildForm, extra=2, max_num=10, validate_max=True)
DocumentFormSet = forms.formset_factory(DocumentForm, extra=1, max_num=10, validate_max=True)
