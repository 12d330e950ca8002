"""The records linkage works on: a person as registered, and its prepared match keys."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from haven.people.linkage.normalise import (
    BirthDate,
    NameKey,
    birth_date,
    identity_number,
    name_key,
    phone_number,
)
from haven.people.linkage.places import commune_key, province_key, written_commune


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
    commune: str = ""  # home commune or ward, old or new name, any spelling


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
    # The new communes the home commune as written may be (see ``places.commune_key``),
    # and the name as written, to tell a typing error from another commune.
    commune: frozenset[str] | None = None
    commune_written: str | None = None


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
        commune=commune_key(record.province, record.commune),
        commune_written=written_commune(record.province, record.commune),
    )


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while millions of records and keys are made.

    Records hold no reference cycles, but each collection walks every object made so far:
    reading a million records spent a third of its time there. Memory freed by reference
    counting is unaffected.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
