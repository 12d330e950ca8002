"""Journey (c): the consular officer in Phnom Penh records a woman returning from Cambodia."""

import datetime
import random

from e2e import flows


def test_consulate_records_a_return_from_abroad(journey):
    server = journey.server
    name = flows.unique_name()
    # Her own passport and birthday, so that record linkage does not (rightly) ask whether she
    # is a person an earlier run recorded.
    passport = f"C{random.randrange(10**6, 10**7)}"
    born = datetime.date(1990, 1, 1) + datetime.timedelta(days=random.randrange(5000))
    page = journey.sign_in("dsq.phnompenh")
    flows.open_reception_form(journey, page, "return_from_abroad")
    flows.fill(page, {"id_received_at": flows.local(flows.hours_ago(30))})
    flows.choose_province(page, "id_province", server.id_of("places_province", "91"), None)
    flows.fill(
        page,
        {
            "id_place_detail": "Cửa khẩu Quốc tế Tịnh Biên",
            "id_return_country": server.id_of("places_country", "KH"),
            "id_foreign_agency_contact": "Ministry of Interior, Phnom Penh (demo contact)",
            "id_travel_document_status": page.locator("#id_travel_document_status option")
            .nth(1)
            .get_attribute("value"),
            "id_full_name": name,
            "id_sex": "F",
            "id_date_of_birth": born.isoformat(),
            "id_nationality": server.id_of("places_country", "VN"),
            "id_document_kind": "passport",
            "id_document_number": passport,
            "id_destination_country": server.id_of("places_country", "KH"),
            "id_exploitation_forms_3": True,  # online scam
            "id_need_shelter": True,
            "id_need_safety": True,
        },
    )
    journey.check(page, "return-form-filled")
    reference = flows.submit_reception(journey, page, "case-after-return")

    assert page.locator("h2", has_text=name).is_visible()
    reception = page.locator("section.card").nth(1).inner_text()
    assert "Campuchia" in reception or "Cambodia" in reception, reception
    assert passport in page.locator("section.card").first.inner_text()
    assert len(flows.timeline(page)) >= 1
    assert flows.search_cases(journey, page, reference, "consulate-finds-case") == 1
    journey.finish()
