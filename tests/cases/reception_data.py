"""POST bodies for the reception form, per entry route."""

import datetime

from django.utils import timezone

from haven.places.models import Commune, Country, Province

MANAGEMENT = {
    "child-TOTAL_FORMS": "2",
    "child-INITIAL_FORMS": "0",
    "child-MIN_NUM_FORMS": "0",
    "child-MAX_NUM_FORMS": "10",
    "doc-TOTAL_FORMS": "1",
    "doc-INITIAL_FORMS": "0",
    "doc-MIN_NUM_FORMS": "0",
    "doc-MAX_NUM_FORMS": "10",
}

ROUTE_EXTRAS = {
    "border_handover": {
        "border_kind": "land",
        "handed_over_by": "foreign_authority",
        "foreign_authority": "Hekou border police",
        "handover_record_number": "BB-17",
        "persons_on_list": "4",
    },
    "police": {"police_operation": "Operation demo", "rescued": "on"},
    "return_from_abroad": {
        "return_country": "KH",
        "travel_document_status": "needs_document",
        "foreign_agency_contact": "Ministry of Interior liaison",
    },
    "self_report": {"reported_at": "commune"},
}


def local(dt: datetime.datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def reception_post(route: str, organisation, **overrides) -> dict:
    lao_cai = Province.objects.get(code="15")
    data = {
        **MANAGEMENT,
        "organisation": str(organisation.pk),
        "received_at": local(timezone.now() - datetime.timedelta(hours=3)),
        "province": str(lao_cai.pk),
        "commune": str(Commune.objects.get(code="02788").pk),
        "place_detail": "Cửa khẩu Quốc tế Lào Cai",
        "full_name": "Nguyễn Thị Hoà",
        "sex": "F",
        "date_of_birth": "1999-04-02",
        "nationality": str(Country.objects.get(code="VN").pk),
        "destination_country": str(Country.objects.get(code="CN").pk),
        "exploitation_forms": ["forced_marriage"],
        "need_shelter": "on",
        "phone": "+84 912 345 678",
        "document_kind": "citizen_id",
        "document_number": "001199012345",
        "account": "Bị lừa sang Trung Quốc làm việc.",
        **ROUTE_EXTRAS[route],
    }
    if route == "return_from_abroad":
        data["return_country"] = str(Country.objects.get(code="KH").pk)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
