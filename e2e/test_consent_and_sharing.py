"""Journey (b): the social work centre opens the case it was handed; the owning border post
records her consent and shares two sections with the Hà Nội shelter, whose worker then sees
those sections and nothing else."""

import re

from e2e import flows


def test_receiver_opens_owner_shares_shelter_sees_only_shared_sections(journey):
    name = flows.unique_name()
    account = "Lời kể riêng tư: chỉ bên sở hữu hồ sơ được đọc."
    guard = journey.sign_in("bp.cklaocai")
    reference = flows.record_border_handover(journey, guard, name=name, account=account)
    case_url = f"/cases/{reference}/"

    # The receiver: the handover opened the case to the centre, read-only.
    centre = journey.sign_in("ctxh.laocai")
    flows.open_from_case_list(journey, centre, reference, "receiver-case")
    assert centre.locator("h2", has_text=name).is_visible()
    facts = centre.locator("section.card").first.inner_text()
    assert journey.t("read-only") in facts, facts
    assert centre.locator("#consent").count() == 0, "a receiver must not manage consent"

    # The owner, still on the case, records her consent to share with the shelter ...
    assert guard.url.endswith(case_url), guard.url
    shelter_id = journey.server.id_of("agencies_organisation", "shelter-hanoi")
    flows.record_consent(journey, guard, flows.consent_to_share(shelter_id), "owner-consent")

    # ... and shares the support and health sections on that consent.
    panel = guard.locator("#consent")
    panel.locator("details", has=guard.locator("form[action$='/shares/']")).locator(
        "summary"
    ).click()
    consent = guard.locator("#id_consent option").nth(1).get_attribute("value")
    flows.fill(
        guard,
        {
            "id_recipient": shelter_id,
            "id_basis": "consent",
            "id_consent": consent,
        },
    )
    for section in ("support", "health"):
        guard.locator(f"#id_sections input[value='{section}']").check()
    journey.check(guard, "owner-share-form")
    button = panel.locator("form[action$='/shares/'] button[type=submit]")
    flows.submit(
        journey, guard, button, "owner-shared", doc="consent-and-sharing", doc_part="#consent"
    )
    shared_with = guard.locator("#consent ul").first.inner_text()
    assert re.search("Bình yên|Peace House", shared_with), shared_with

    # The shelter sees the case, without her identity or her account.
    shelter = journey.sign_in("shelter.hanoi")
    assert flows.search_cases(journey, shelter, flows.fold(name), "shelter-searches-name") == 0
    assert flows.search_cases(journey, shelter, reference, "shelter-finds-case") == 1
    row = shelter.locator("#results table.cases tbody tr").first.inner_text()
    assert name not in row and journey.t("identity not shared") in row
    link = shelter.locator("#results").get_by_role("link", name=reference, exact=True)
    flows.follow(journey, shelter, link, "shelter-case", doc="shelter-sees-shared-sections")
    text = shelter.locator("main").inner_text()
    assert journey.t("Identity not shared with your organisation") in text
    assert name not in text and account not in text
    assert journey.t("Immediate needs") in text  # the support section
    assert journey.t("Forms of exploitation") not in text  # the account section
    assert shelter.locator("#consent").count() == 0
    journey.finish()
