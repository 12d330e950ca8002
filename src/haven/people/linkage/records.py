"""The records linkage works on: a person as registered, and its prepared match keys."""

from dataclasses import dataclass

from haven.people.linkage.normalise import (
    BirthDate,
    NameKey,
    birth_date,
    identity_number,
    name_key,
    phone_number,
)
from haven.people.linkage.places import province_key


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One registration of a person by one agency, as written. Empty or ``None`` = unknown."""

    rec_id: str
    surname: str = ""
    middle_name: str = ""
    given_name: str = ""
    sex: str = ""  # "F", "M" or "" when unknown
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    province: str = ""  # old (63) or new (34) province name, any spelling
    national_id: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """The match keys of a ``PersonRecord``; built by ``prepare``."""

    rec_id: str
    name: NameKey
    sex: str | None
    birth: BirthDate
    province: str | None
    identity: tuple[str, str] | None
    phone: str | None


def prepare(record: PersonRecord) -> LinkRecord:
    """Normalise every field of ``record`` into comparable keys."""
    full_name = f"{record.surname} {record.middle_name} {record.given_name}"
    sex = (record.sex or "").strip().upper()
    return LinkRecord(
        rec_id=record.rec_id,
        name=name_key(full_name),
        sex=sex if sex in ("F", "M") else None,
        birth=birth_date(record.birth_year, record.birth_month, record.birth_day),
        province=province_key(record.province),
        identity=identity_number(record.national_id),
        phone=phone_number(record.phone),
    )
