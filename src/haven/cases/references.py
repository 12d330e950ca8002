"""Nationally unique, readable case references: PROVINCE-YEAR-NUMBER, e.g. 15-2026-00042."""

from django.db import transaction

from haven.cases.models import ReferenceSequence


def next_reference(province_code: str, year: int) -> str:
    """Allocate the next reference; the row lock makes concurrent allocations wait in turn."""
    with transaction.atomic():
        ReferenceSequence.objects.get_or_create(province_code=province_code, year=year)
        sequence = ReferenceSequence.objects.select_for_update().get(
            province_code=province_code, year=year
        )
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
    return f"{province_code}-{year}-{sequence.last_number:05d}"
