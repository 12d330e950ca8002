"""The language button in the header switches every page between Vietnamese and English."""


def test_language_button_switches_and_the_choice_sticks(journey):
    first = journey.lang
    page = journey.sign_in("ctxh.laocai")
    journey.switch_language(page)
    journey.check(page, f"home-switched-to-{journey.lang}")
    assert page.url == f"{journey.server.url}/", "the button should stay on the same page"

    # The choice is kept: the next page is in the new language too.
    page.locator("nav a[href='/cases/']").click()
    page.wait_for_url("**/cases/")
    journey.check(page, "case-list-in-new-language")
    assert page.evaluate("document.documentElement.lang") == journey.lang

    journey.switch_language(page)
    journey.check(page, "case-list-switched-back")
    assert journey.lang == first and "/cases/" in page.url
    journey.finish()
