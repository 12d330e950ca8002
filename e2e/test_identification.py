"""Journey: the Lào Cai provincial police screen a woman it received against the indicators
(acts, means, purposes) and record the identification decision, on the case's
"Identification and return" tab."""

import datetime
import re

from e2e import flows


def test_police_screen_and_decide_identification(journey):
    server = journey.server
    (reference,) = server.lookup(
        "SELECT c.reference FROM cases_case c JOIN agencies_organisation o ON o.id = c.owner_id"
        " WHERE o.code = 'ca-laocai' AND c.status IN ('received', 'screening')"
        " ORDER BY c.reference LIMIT 1"
    )[0]
    page = journey.sign_in("ca.laocai")
    flows.open_from_case_list(journey, page, reference, "case")
    flows.open_case_tab(journey, page, "Identification and return", "identification-tab")

    # The screening: recruited by deception and sold into a forced marriage.
    screening = page.locator(f"form[action='/cases/{reference}/screenings/']")
    page.locator("details", has=screening).locator("summary").click()
    for name, value in [
        ("acts", "recruitment"),
        ("acts", "transfer"),
        ("means", "deception"),
        ("purposes", "forced_marriage"),
    ]:
        screening.locator(f"input[name='{name}'][value='{value}']").check()
    flows.fill_in(screening, {"notes": f"Phỏng vấn có phiên dịch tiếng H'Mông ({journey.lang})."})
    journey.check(page, "screening-form")
    flows.submit(journey, page, screening.locator("button[type=submit]"), "screening-recorded")
    screened = flows.card(page, journey.t("Screening")).inner_text()
    assert journey.t("indicators of trafficking met") in screened, screened

    # The decision: she is a victim, on her own statement and the foreign authority's record.
    decision = page.locator(f"form[action='/cases/{reference}/decisions/']")
    before = page.locator("div.decision").count()
    page.locator("details", has=decision).locator("summary").click()
    flows.fill_in(decision, {"status": "victim", "decided_on": datetime.date.today().isoformat()})
    for value in ("own_statement", "authority_document"):
        decision.locator(f"input[name='evidence'][value='{value}']").check()
    flows.fill_in(decision, {"evidence_description": "Biên bản bàn giao BB-2026-117."})
    journey.check(page, "decision-form")
    button = decision.locator("button[type=submit]")
    flows.submit(journey, page, button, "decision-recorded", doc="identification")
    assert re.search(rf"/cases/{reference}/identification/$", page.url), page.url
    assert page.locator("div.decision").count() == before + 1
    assert journey.t("victim").capitalize() in page.locator("div.decision").first.inner_text()
    journey.finish()
