"""Journey: the Lào Cai social work centre, which the demo border guards hand women over to,
makes a support plan with her and adds a service on the case's Support tab."""

import datetime

from e2e import flows


def test_centre_records_a_support_plan_and_a_service(journey):
    server = journey.server
    (reference,) = server.lookup(
        "SELECT c.reference FROM cases_case c JOIN agencies_organisation o ON o.id = c.owner_id"
        " WHERE o.code = 'ctxh-laocai' AND c.status = 'support' ORDER BY c.reference LIMIT 1"
    )[0]
    page = journey.sign_in("ctxh.laocai")
    flows.open_from_work_list(journey, page, reference, "case")
    flows.open_case_tab(journey, page, "Support", "support-tab")

    # The plan, made with her: her goals and choices in her own words.
    flows.record_support_plan(
        journey,
        page,
        reference,
        goals=f"Học nghề may và gửi tiền về cho mẹ ({journey.lang}).",
        choices="Muốn ở nhà tạm lánh thêm một tháng, không muốn gặp báo chí.",
        doc="support-plan",
    )

    # A planned service: psychological support by the centre itself, with its cost.
    rows = page.locator("table.cases tbody tr:not(:has(td[colspan]))")  # not "No services yet."
    before = rows.count()
    centre = server.id_of("agencies_organisation", "ctxh-laocai")
    service = page.locator(f"form[action='/cases/{reference}/support/services/']")
    page.locator("details", has=service).locator("summary").click()
    today = datetime.date.today()
    flows.fill_in(
        service,
        {
            "support_type": "psychological",
            "status": "planned",
            "provider": centre,
            "starts_on": (today + datetime.timedelta(days=1)).isoformat(),
            "ends_on": (today + datetime.timedelta(days=30)).isoformat(),
            "quantity": "4",
            "unit": "buổi",
            "cost": "1200000",
            "paid_by": centre,
            "funding_source": "Ngân sách tỉnh",
        },
    )
    journey.check(page, "support-service-form")
    button = service.get_by_role("button", name=journey.t("Add service"), exact=True)
    flows.submit(journey, page, button, "support-service-added")
    assert rows.count() == before + 1
    services = flows.card(page, journey.t("Services")).inner_text()
    assert "1200000" in services.replace(".", "").replace(",", "").replace(" ", ""), services
    journey.finish()
