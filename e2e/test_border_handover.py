"""Journey (a): a border guard at the Lào Cai international border gate records a woman handed
over by the foreign authority at the land crossing, and hands her to the social work centre."""

import re
from pathlib import Path

from e2e import flows


def test_border_guard_records_a_handover_at_a_land_crossing(journey, tmp_path):
    name = flows.unique_name()
    pdf = tmp_path / "bien-ban-ban-giao.pdf"
    pdf.write_bytes(flows.PDF)

    page = journey.sign_in("bp.cklaocai")
    reference = flows.record_border_handover(journey, page, name=name, upload=pdf)

    # The new case: its reference, the person, the reception, the handover and the document.
    assert reference.startswith("15-"), reference
    assert reference in page.locator("h1").inner_text()
    assert page.locator("h2", has_text=name).is_visible()
    assert page.locator("p.message.success").inner_text().count(reference) == 1
    receiver = flows.card(page, journey.t("Handovers"))
    assert re.search("Lào Cai|Lao Cai", receiver.inner_text())
    assert "BG-2026-0042" in receiver.inner_text()
    documents = flows.card(page, journey.t("Documents"))
    assert "bien-ban-ban-giao.pdf" in documents.inner_text()

    # The timeline shows the reception and the handover, by this user.
    events = flows.timeline(page)
    assert len(events) >= 2, events
    assert all("bp.cklaocai" in e for e in events), events

    # The document comes back decrypted, byte for byte.
    with page.expect_download() as download:
        documents.locator("a", has_text="bien-ban-ban-giao.pdf").click()
    assert Path(download.value.path()).read_bytes() == flows.PDF

    # My work lists the new case first, with the person's name.
    page.locator("nav a[href='/']").click()
    page.wait_for_url(re.compile(r"/$"))
    journey.check(page, "my-work-after")
    first = page.locator("ul.worklist li").first.inner_text()
    assert reference in first and name in first

    # The case list finds her by name typed without diacritics.
    assert flows.search_cases(journey, page, flows.fold(name), "case-list-search-by-name") == 1
    journey.finish()
