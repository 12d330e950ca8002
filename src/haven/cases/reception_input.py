"""From a valid reception form to the arguments of `actions.receive_person`.

One definition for every way a reception comes in (the page, the API, register imports),
so each records exactly what the page records.
"""

from haven.cases.forms import ROUTE_FIELDS, ReceptionForm


def person_fields(data: dict) -> dict:
    """Person field values from a valid reception form; an approximate age becomes an
    estimated year of birth."""
    fields = {
        name: data.get(name)
        for name in (
            "full_name",
            "other_names",
            "sex",
            "date_of_birth",
            "ethnicity",
            "languages",
            "needs_interpreter",
            "nationality",
            "home_province",
            "home_commune",
            "home_address",
            "phone",
        )
    }
    fields = {
        k: ("" if v is None and k in {"other_names", "languages", "home_address", "phone"} else v)
        for k, v in fields.items()
    }
    if not data.get("date_of_birth") and data.get("approximate_age") is not None:
        fields["birth_year"] = data["received_at"].year - data["approximate_age"]
        fields["birth_year_estimated"] = True
    return fields


def reception_fields(form: ReceptionForm) -> dict:
    """Reception field values for the form's entry route."""
    data = form.cleaned_data
    fields = {
        "entry_route": form.route,
        "received_at": data["received_at"],
        "province": data["province"],
        "commune": data.get("commune"),
        "place_detail": data.get("place_detail", ""),
        "destination_country": data.get("destination_country"),
        "exploitation_forms": ",".join(data.get("exploitation_forms") or []),
        "recruitment": data.get("recruitment", ""),
        "exploitation_from": data.get("exploitation_from"),
        "exploitation_to": data.get("exploitation_to"),
        "account": data.get("account", ""),
        "needs_notes": data.get("needs_notes", ""),
    }
    for need in ("need_medical", "need_shelter", "need_food", "need_clothing", "need_safety"):
        fields[need] = bool(data.get(need))
    for name in ROUTE_FIELDS[form.route]:
        value = data.get(name)
        fields[name] = (
            "" if value is None and name not in {"persons_on_list", "return_country"} else value
        )
    return fields


def child_fields(child: dict, received_at) -> dict:
    """Person field values of an accompanying child, with the relationship."""
    fields = {
        "full_name": child["full_name"],
        "sex": child["sex"],
        "date_of_birth": child.get("date_of_birth"),
        "relationship": child.get("relationship", ""),
    }
    if not child.get("date_of_birth") and child.get("approximate_age") is not None:
        fields["birth_year"] = received_at.year - child["approximate_age"]
        fields["birth_year_estimated"] = True
    return fields
