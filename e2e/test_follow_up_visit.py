"""Journey: the commune officer of Bản Lầu records a follow-up visit to a woman back home, on a
390×844 phone, on the case's "Reintegration and follow-up" tab (no page scrolls sideways)."""

import datetime
import re

from e2e import flows


def test_commune_worker_records_a_follow_up_visit_on_a_phone(journey):
    server = journey.server
    # A case in follow-up with visits still to record by the commune (both languages run on
    # the same server: each records the next open visit).
    reference = server.lookup(
        "SELECT c.reference FROM support_followupvisit v JOIN cases_case c ON c.id = v.case_id"
        " JOIN agencies_organisation o ON o.id = v.organisation_id"
        " WHERE o.code = 'ubnd-banlau' AND c.status = 'follow_up' AND v.visited_on IS NULL"
        " GROUP BY c.reference HAVING COUNT(*) >= 2 ORDER BY c.reference DESC LIMIT 1"
    )[0][0]
    page = journey.sign_in("ubnd.banlau", phone=True)
    flows.open_from_work_list(journey, page, reference, "phone-case")
    flows.open_case_tab(journey, page, "Reintegration and follow-up", "phone-follow-up-tab")

    visits = page.locator("ul.visits > li")
    open_visits = visits.filter(has=page.locator("form"))
    still_open = open_visits.count()
    assert still_open >= 1, visits.all_inner_texts()
    visit = open_visits.first
    visit.locator("summary").click()
    form = visit.locator("form")
    notes = f"Chị đã đi làm ở xưởng may của xã, sống cùng mẹ ({journey.lang})."
    flows.fill_in(
        form,
        {
            "visited_on": datetime.date.today().isoformat(),
            "wellbeing": "good",
            "income": "fair",
            "housing": "good",
            "safety": "good",
            "re_trafficking_risk": "low",
            "notes": notes,
        },
    )
    journey.check(page, "phone-visit-form", doc="phone-follow-up-visit")
    flows.submit(journey, page, form.locator("button[type=submit]"), "phone-visit-recorded")
    assert re.search(rf"/cases/{reference}/follow-up/$", page.url), page.url
    assert open_visits.count() == still_open - 1
    recorded = page.locator("ul.visits").inner_text()
    assert journey.t("visited") in recorded
    journey.finish()
