"""With two-factor authentication required (production's default), a case worker enrols an
authenticator app on first sign-in and gives a code on the next."""

import time

from e2e import flows

# One user per language: both runs share the server, and enrolment happens once per user.
USERS = {"vi": "ctxh.laocai", "en": "ca.laocai"}


def test_case_worker_enrols_totp_then_signs_in_with_a_code(journey, haven_2fa):
    username = USERS[journey.lang]
    page = journey.sign_in(username, server=haven_2fa, expect_home=False)
    page.wait_for_url("**/accounts/2fa/setup/?next=*")
    journey.check(page, "2fa-setup", doc="two-factor-setup")
    secret = page.locator("code.secret").inner_text()
    assert len(secret.replace(" ", "")) >= 16, secret
    assert page.locator(".qr-code svg").is_visible()
    page.fill("#id_token", flows.totp(secret))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{haven_2fa.url}/")
    journey.check(page, "home-after-enrolment")

    page.locator("header form[action='/accounts/logout/'] button[type=submit]").click()
    page.wait_for_url("**/accounts/login/")
    journey.check(page, "signed-out")
    page.fill("#id_username", username)
    page.fill("#id_password", "haven-demo-2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/2fa/verify/?next=*")
    journey.check(page, "2fa-verify")

    # A wrong code is refused with a message beside the field ...
    page.fill("#id_token", "000000" if flows.totp(secret) != "000000" else "111111")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/2fa/verify/" in page.url
    assert page.locator(".field.invalid .error").is_visible()
    journey.check(page, "2fa-verify-wrong-code")

    # ... and, after the one-second throttle, the next code (the enrolment's was used) works.
    time.sleep(1.2)
    page.fill("#id_token", flows.totp(secret, at=time.time() + 30))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{haven_2fa.url}/")
    journey.check(page, "home-after-verify")
    assert page.locator("header .who").inner_text() == username
    journey.finish()
