"""A reception given as plain data (an API body, a register row), validated by the page's own
`ReceptionForm` and `ChildForm` and recorded with `receive_person`, exactly as the page does.

Places, countries, ethnicities and organisations are given by their codes ("15" for Lào
Cai, "KH", "dbp-laocai"); they are turned into the form's choices here, so every rule and
every message is the form's.
"""

import dataclasses
import datetime

from django.utils.translation import gettext as _

from haven.access import policy
from haven.agencies.models import Organisation
from haven.cases import actions, reception_input
from haven.cases.forms import ChildForm, ReceptionForm
from haven.cases.models import EntryRoute
from haven.places.models import Commune, Country, Ethnicity, Province

CODED_FIELDS = {
    "organisation": Organisation,
    "handover_to": Organisation,
    "province": Province,
    "home_province": Province,
    "commune": Commune,
    "home_commune": Commune,
    "nationality": Country,
    "return_country": Country,
    "destination_country": Country,
    "ethnicity": Ethnicity,
}
NOT_A_CHOICE = "0"  # no row has this key: the form answers "not in Haven's list"
# Dates outside these years are typing errors, and some cannot be converted between time
# zones at all; they are refused before the form sees them.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


class Codes:
    """Code → primary key, cached for the life of one import or request."""

    def __init__(self):
        self._cache: dict[tuple, str] = {}

    def pk(self, model, code) -> str:
        code = str(code).strip()
        if not code or len(code) > 40 or "\x00" in code:
            return NOT_A_CHOICE
        if model is Country:
            code = code.upper()
        key = (model, code)
        if key not in self._cache:
            pk = model.objects.filter(code=code).values_list("pk", flat=True).first()
            self._cache[key] = NOT_A_CHOICE if pk is None else str(pk)
        return self._cache[key]


@dataclasses.dataclass
class Intake:
    route: str
    form: ReceptionForm | None
    children: list[ChildForm]
    route_error: str = ""

    def is_valid(self) -> bool:
        if self.form is None:
            return False
        valid = self.form.is_valid()
        return all([valid, *(child.is_valid() for child in self.children)])

    def errors(self) -> dict[str, list[str]]:
        if self.form is None:
            return {"entry_route": [self.route_error]}
        errors = {name: [str(m) for m in msgs] for name, msgs in self.form.errors.items()}
        for index, child in enumerate(self.children):
            for name, msgs in child.errors.items():
                errors[f"children.{index}.{name}"] = [str(m) for m in msgs]
        return errors

    def receive(self, *, user, ip_address: str = ""):
        """Record the reception; call only after `is_valid()`."""
        data = self.form.cleaned_data
        identity = None
        if data.get("document_kind"):
            identity = {"kind": data["document_kind"], "number": data["document_number"]}
        handover = None
        if data.get("handover_to"):
            handover = actions.NewHandover(
                to_organisation=data["handover_to"],
                handed_over_at=data["handover_at"],
                record_number=data.get("handover_record", ""),
            )
        return actions.receive_person(
            user=user,
            organisation=data["organisation"],
            person_fields=reception_input.person_fields(data),
            reception_fields=reception_input.reception_fields(self.form),
            identity_document=identity,
            children=[
                reception_input.child_fields(c.cleaned_data, data["received_at"])
                for c in self.children
            ],
            handover=handover,
            ip_address=ip_address,
        )


def build(values: dict, *, user, codes: Codes | None = None) -> Intake:
    """The forms for one reception from plain values (None or missing = not given)."""
    codes = codes or Codes()
    route = str(values.get("entry_route") or "")
    children = [_child_form(child) for child in values.get("children") or []]
    if route not in EntryRoute.values:
        message = (
            _("This field is required.")
            if not route
            else _("Choose one of: %(routes)s.") % {"routes": ", ".join(EntryRoute.values)}
        )
        return Intake(route, None, children, route_error=message)
    organisations = policy.reception_organisations(user)
    data = {}
    out_of_range = {}
    for name, value in values.items():
        if value is None or value == "" or name in {"children", "entry_route"}:
            continue
        if isinstance(value, datetime.date) and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            out_of_range[name] = [_("Enter a valid date.")]
            continue
        if name in CODED_FIELDS:
            value = codes.pk(CODED_FIELDS[name], value)
        data[name] = value
    if "organisation" not in data:
        only = list(organisations.values_list("pk", flat=True)[:2])
        if len(only) == 1:
            data["organisation"] = str(only[0])
    form = ReceptionForm(data, route=route, organisations=organisations)
    if out_of_range:
        form.full_clean()  # the form's own checks first, then these
        for name, messages in out_of_range.items():
            if name in form.fields:
                form.add_error(name, messages)
    return Intake(route, form, children)


def _child_form(values) -> ChildForm:
    if not isinstance(values, dict):
        values = {}
    data = {k: v for k, v in values.items() if v is not None and v != ""}
    born = data.get("date_of_birth")
    if isinstance(born, datetime.date) and not EARLIEST_YEAR <= born.year <= LATEST_YEAR:
        data["date_of_birth"] = "-"  # not a date: the form says so
    return ChildForm(data)
