"""Journey (d): a police officer of another province cannot reach a Lào Cai case, not by its
address, not by its documents, not by the person's name."""

from e2e import flows


def test_stranger_from_another_province_is_refused_the_case(journey, tmp_path):
    name = flows.unique_name()
    pdf = tmp_path / "bien-ban.pdf"
    pdf.write_bytes(flows.PDF)
    guard = journey.sign_in("bp.cklaocai")
    reference = flows.record_border_handover(journey, guard, name=name, upload=pdf)
    document_url = guard.locator("a[href*='/documents/']").first.get_attribute("href")

    stranger = journey.sign_in("ca.angiang")
    for url, label in [
        (f"/cases/{reference}/", "stranger-case"),
        (document_url, "stranger-document"),
        (f"/cases/{reference}/access-log/", "stranger-access-log"),
    ]:
        response = stranger.goto(url)
        assert response.status == 404, f"{url}: HTTP {response.status}"
        assert name not in stranger.content()
        journey.check(stranger, label)

    stranger.goto("/cases/")
    assert flows.search_cases(journey, stranger, flows.fold(name), "stranger-search-name") == 0
    assert flows.search_cases(journey, stranger, name, "stranger-search-name-marks") == 0
    assert flows.search_cases(journey, stranger, reference, "stranger-search-reference") == 0
    assert name not in stranger.locator("main").inner_text()
    journey.finish()
