"""Journey: the border post refers a woman it received to the Hà Nội shelter; the shelter
answers the referral from its inbox, seeing only the decision summary (no name, no case
reference) until it accepts, then records her consent and a support plan on the case.

The referral is a transfer of the case ("Refer her or transfer her case"): a referral for
services opens the named sections read-only, and only the owning organisation records
consent or a plan (src/haven/access/policy.py)."""

import re

from e2e import flows


def test_shelter_receives_the_referral_records_consent_and_a_support_plan(journey):
    server = journey.server
    name = flows.unique_name()
    account = "Lời kể riêng tư: không gửi kèm yêu cầu chuyển gửi."
    shelter_id = server.id_of("agencies_organisation", "shelter-hanoi")

    # The owner: her consent to share with the shelter, then the referral on that consent.
    guard = journey.sign_in("bp.cklaocai")
    reference = flows.record_border_handover(journey, guard, name=name, account=account)
    flows.record_consent(journey, guard, flows.consent_to_share(shelter_id), "owner-consent")
    flows.open_case_tab(journey, guard, "Referrals", "owner-referrals-tab")
    refer = guard.locator("#refer")
    flows.fill(
        guard,
        {
            "id_kind": "transfer",
            "id_to_organisation": shelter_id,
            "id_basis": "consent",
            "id_consent": guard.locator("#id_consent option").nth(1).get_attribute("value"),
            "id_note": "Cần chỗ ở an toàn và tham vấn tâm lý; nói tiếng H'Mông.",
        },
    )
    for service in ("essential_needs", "psychological"):
        refer.locator(f"#id_services input[value='{service}']").check()
    journey.check(guard, "owner-referral-form")
    button = refer.get_by_role("button", name=journey.t("Send referral"), exact=True)
    flows.submit(journey, guard, button, "owner-referral-sent")
    sent = flows.card(guard, journey.t("Her referrals"))
    assert journey.t("waiting for an answer") in sent.inner_text(), sent.inner_text()
    referral_url = sent.locator("a[href^='/referrals/']").get_attribute("href")
    assert re.fullmatch(r"/referrals/\d+/", referral_url), referral_url

    # The shelter: the referral waits in its inbox, without a case reference.
    shelter = journey.sign_in("shelter.hanoi")
    flows.follow(journey, shelter, flows.nav_link(journey, shelter, "Inbox"), "shelter-inbox")
    row = shelter.locator("table.cases tbody tr").filter(
        has=shelter.locator(f"a[href='{referral_url}']")
    )
    what = journey.t("referral to accept or decline")
    assert what.casefold() in row.inner_text().casefold(), row.inner_text()
    assert reference not in shelter.locator("main").inner_text()
    link = row.get_by_role("link", name=journey.t("the referral"), exact=True)
    flows.follow(
        journey, shelter, link, "shelter-referral-summary", doc="referral-summary", doc_part="main"
    )

    # Before accepting, only what it needs to decide: no name, no reference, no account.
    main = shelter.locator("main")
    text = main.inner_text()
    for secret in (name, flows.fold(name), reference, account, "BB-2026-117"):
        assert secret.casefold() not in text.casefold(), f"{secret!r} shown before acceptance"
    assert main.locator("a[href^='/cases/']").count() == 0, "a link to the case before acceptance"
    summary = flows.card(shelter, journey.t("What the receiver sees to decide")).inner_text()
    assert journey.t("female") in summary and "H'Mông" in summary, summary  # her sex, the note

    button = main.get_by_role("button", name=journey.t("Accept the case"), exact=True)
    flows.submit(journey, shelter, button, "shelter-referral-accepted")
    assert journey.t("accepted") in shelter.locator("h1").inner_text()

    # The case is now the shelter's: from the referral to its overview.
    case_link = main.get_by_role("link", name=reference, exact=True)
    flows.follow(journey, shelter, case_link, "shelter-case")
    assert shelter.locator("h2", has_text=name).is_visible()
    facts = shelter.locator("section.card").first.inner_text()
    assert re.search("Bình yên|Peace House", facts), facts

    # Her consent to receive the shelter's support, explained in her language.
    flows.record_consent(
        journey,
        shelter,
        {
            "id_purpose": "support",
            "id_decision": "given",
            "id_given_by": "person",
            "id_informed_in_language": "Tiếng H'Mông",
            "id_interpreter_used": True,
        },
        "shelter-consent",
    )

    # The support plan, made with her, on the Support tab.
    flows.open_case_tab(journey, shelter, "Support", "shelter-support-tab")
    flows.record_support_plan(
        journey,
        shelter,
        reference,
        goals=f"Được ở an toàn, khám sức khỏe và học tiếng Việt ({journey.lang}).",
        choices="Muốn có người phiên dịch tiếng H'Mông khi gặp công an.",
    )
    journey.finish()
