"""Likely duplicates of register rows, through the record-linkage engine.

`likely_duplicates` is the hook the dry run calls. It compares the file's rows with each
other and with the persons of the cases whose identity the importing user already sees
(`registry_candidates`); matching against the whole registry, across organisations that
have not shared the identity, needs a decision on what such a match may reveal, so it is
not done here. If the linkage engine is missing, no duplicates are reported.
"""

import datetime

from django.utils.translation import gettext as _

from haven.access import policy
from haven.access.models import Section
from haven.people.models import IdentityDocument

# Candidates from the registry are capped so a dry run stays interactive.
MAX_REGISTRY_CANDIDATES = 20000
THRESHOLD = 0.8


def _record(
    rec_id, *, full_name, sex, date_of_birth, birth_year, province, national_id, phone, commune
):
    from haven.people.linkage import PersonRecord

    return PersonRecord(
        rec_id=rec_id,
        surname=full_name or "",  # the engine parses the whole name itself
        sex=sex if sex in ("F", "M") else "",
        birth_year=date_of_birth.year if date_of_birth else birth_year,
        birth_month=date_of_birth.month if date_of_birth else None,
        birth_day=date_of_birth.day if date_of_birth else None,
        province=province or "",
        national_id=national_id or "",
        phone=phone or "",
        commune=commune or "",
    )


def registry_candidates(user):
    """(reference, PersonRecord) for the persons whose identity `user` sees."""
    cases = (
        policy.cases_with_section(user, Section.IDENTITY)
        .select_related("person", "person__home_province", "person__home_commune", "province")
        .order_by("-opened_at")[:MAX_REGISTRY_CANDIDATES]
    )
    cases = list(cases)
    numbers = {}
    for document in IdentityDocument.objects.filter(
        person_id__in=[c.person_id for c in cases],
        kind__in=[IdentityDocument.Kind.CITIZEN_ID, IdentityDocument.Kind.OLD_ID],
    ):
        numbers.setdefault(document.person_id, document.number)
    for case in cases:
        person = case.person
        province = person.home_province or case.province
        yield (
            case.reference,
            _record(
                f"case:{case.reference}",
                full_name=person.full_name,
                sex=person.sex,
                date_of_birth=person.date_of_birth,
                birth_year=person.birth_year,
                province=province.name_vi if province else "",
                national_id=numbers.get(person.pk, ""),
                phone=person.phone,
                commune=person.home_commune.name_vi if person.home_commune_id else "",
            ),
        )


def likely_duplicates(rows: list[dict], user) -> dict[int, list[str]]:
    """Row index → messages naming the likely duplicates (other rows, visible cases)."""
    try:
        from haven.people.linkage import find_duplicates
    except ImportError:  # the engine is not installed: nothing to flag
        return {}
    from haven.places.models import Commune, Province

    province_names = dict(Province.objects.values_list("code", "name_vi"))
    codes = {values.get("home_commune") for values in rows} - {None, ""}
    commune_names = dict(Commune.objects.filter(code__in=codes).values_list("code", "name_vi"))
    records = []
    for index, values in enumerate(rows):
        born = values.get("date_of_birth")
        home_commune = values.get("home_commune") or ""
        records.append(
            _record(
                f"row:{index}",
                full_name=values.get("full_name"),
                sex=values.get("sex"),
                date_of_birth=born if isinstance(born, datetime.date) else None,
                birth_year=None,
                province=province_names.get(values.get("home_province") or "", ""),
                national_id=values.get("document_number")
                if values.get("document_kind") in ("citizen_id", "old_id")
                else "",
                phone=values.get("phone"),
                # A code when the import knew the commune, else the name as written.
                commune=commune_names.get(home_commune, home_commune),
            )
        )
    records.extend(record for _ref, record in registry_candidates(user))
    pairs, _model = find_duplicates(records, threshold=THRESHOLD)
    found: dict[int, list[str]] = {}
    for pair in pairs:
        ids = (pair.rec_id_a, pair.rec_id_b)
        for this, other in (ids, ids[::-1]):
            if not this.startswith("row:"):
                continue
            index = int(this.split(":", 1)[1])
            kind, ref = other.split(":", 1)
            if kind == "row":
                message = _("likely the same person as row %(row)s (score %(score).2f)") % {
                    "row": int(ref) + 2,
                    "score": pair.score,
                }
            else:
                message = _("likely already registered in case %(ref)s (score %(score).2f)") % {
                    "ref": ref,
                    "score": pair.score,
                }
            found.setdefault(index, []).append(message)
    return found
