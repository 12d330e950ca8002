"""Journey (e): the commune officer of Bản Lầu records a self-report on a phone, and no page
scrolls sideways (every check on a phone-sized page measures it)."""

from e2e import flows


def test_commune_worker_records_a_self_report_on_a_phone(journey):
    server = journey.server
    name = flows.unique_name()
    page = journey.sign_in("ubnd.banlau", phone=True)
    flows.open_reception_form(journey, page, "self_report", doc="phone-self-report")
    flows.fill(page, {"id_received_at": flows.local(flows.hours_ago(1))})
    flows.choose_province(
        page,
        "id_province",
        server.id_of("places_province", "15"),
        server.id_of("places_commune", "02788"),
    )
    journey.check(page, "self-report-communes-loaded")
    flows.fill(
        page,
        {
            "id_reported_at": "commune",
            "id_full_name": name,
            "id_sex": "F",
            "id_approximate_age": "16",
            "id_ethnicity": server.id_of("places_ethnicity", "08"),
            "id_phone": flows.unique_phone(),
            "id_destination_country": server.id_of("places_country", "CN"),
            "id_need_safety": True,
        },
    )
    journey.check(page, "self-report-filled")
    reference = flows.submit_reception(journey, page, "case-after-self-report", doc="phone-case")

    assert reference.startswith("15-")
    # She is 16: the child badge shows beside her name.
    assert page.locator("h2 .badge.child").is_visible()
    assert "Bản Lầu" in page.locator("section.card").nth(1).inner_text() or "Ban Lau" in (
        page.locator("section.card").nth(1).inner_text()
    )
    assert flows.search_cases(journey, page, flows.fold(name), "phone-case-list") == 1
    journey.finish()
