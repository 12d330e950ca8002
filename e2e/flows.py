"""Steps the journeys share: filling the reception form, reading a case page, searching.

Fields are found by their id and organisations, provinces and countries by their code (looked
up in the server's database), so the same steps run in Vietnamese and in English.
"""

import base64
import datetime
import hashlib
import hmac
import random
import re
import struct
import time
import unicodedata
from zoneinfo import ZoneInfo

REFERENCE = re.compile(r"/cases/(\d{2}-\d{4}-\d{5})/$")
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# A one-page PDF: the content is checked by its first bytes, then encrypted on disk.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

_FAMILY = ["Giàng", "Vàng", "Lò", "Sùng", "Hầu", "Thào", "Lý", "Hoàng", "Tẩn", "Chảo"]
_ONSET = ["Ch", "Ph", "Kh", "Th", "Nh", "S", "M", "L", "V", "D", "Tr", "Gi"]
_RHYME = ["ía", "ờn", "ảnh", "ũy", "ắt", "ịu", "ểm", "ọng", "uyến", "ầu", "oà", "ênh"]
_random = random.SystemRandom()


def unique_name() -> str:
    """A synthetic Vietnamese name no other journey or demo person will have."""
    given = " ".join(_random.choice(_ONSET) + _random.choice(_RHYME) for _ in range(2))
    return f"{_random.choice(_FAMILY)} Thị {given}"


def unique_phone() -> str:
    """A mobile number no other run of a journey will have: a shared number would make
    the second language's run meet the first one's person among the likely matches."""
    digits = "".join(str(_random.randrange(10)) for _ in range(7))
    return f"09{_random.randrange(10)} {digits[:3]} {digits[3:]}"


def local(dt: datetime.datetime) -> str:
    """A value for <input type=datetime-local>, in Haven's time zone."""
    return dt.astimezone(VIETNAM).strftime("%Y-%m-%dT%H:%M")


def hours_ago(hours: float) -> datetime.datetime:
    return datetime.datetime.now(VIETNAM) - datetime.timedelta(hours=hours)


def totp(secret: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP (SHA-1), as an authenticator app computes it from the key shown."""
    compact = secret.replace(" ", "").upper()
    key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


def fill(page, values: dict):
    """Fill form controls by id: select by option value, tick boxes, type text, attach files."""
    for element_id, value in values.items():
        control = page.locator(f"[id='{element_id}']")
        kind = control.evaluate("el => el.tagName === 'SELECT' ? 'select' : el.type")
        if kind == "select":
            control.select_option(value)
        elif kind == "checkbox":
            control.set_checked(bool(value))
        elif kind == "file":
            control.set_input_files(value)
        else:
            control.fill(str(value))


def choose_province(page, select_id: str, province_id: str, commune_id: str | None):
    """Choose a province and wait for HTMX to load its communes; then choose the commune."""
    commune_select = {"id_province": "id_commune", "id_home_province": "id_home_commune"}[select_id]
    with page.expect_response(lambda r: "/places/communes/" in r.url) as response:
        page.select_option(f"#{select_id}", province_id)
    assert response.value.ok, f"commune list: HTTP {response.value.status}"
    options = page.locator(f"#{commune_select} option")
    options.nth(1).wait_for(state="attached")
    if commune_id is not None:
        page.select_option(f"#{commune_select}", commune_id)
    return options.count() - 1


def open_reception_form(journey, page, route: str, doc: str | None = None):
    """From My work, follow the link of an entry route."""
    page.locator(f"a[href='/receptions/new/{route}/']").click()
    page.wait_for_url(f"**/receptions/new/{route}/")
    journey.check(page, f"reception-form-{route}", doc=doc)


def submit_reception(journey, page, label: str, doc: str | None = None) -> str:
    """Save the reception form; return the new case's reference (the page is the case)."""
    page.locator("form.reception button[type=submit]").click()
    page.wait_for_url(REFERENCE, timeout=15_000)
    reference = REFERENCE.search(page.url).group(1)
    journey.check(page, label, doc=doc)
    return reference


def record_border_handover(journey, page, *, name: str, upload=None, account: str = "") -> str:
    """The border guard's reception of a woman handed over at the Lào Cai land crossing."""
    server = journey.server
    open_reception_form(journey, page, "border_handover", doc="reception-form")
    received = hours_ago(5)
    fill(page, {"id_received_at": local(received), "id_place_detail": "Cửa khẩu Quốc tế Lào Cai"})
    communes = choose_province(
        page,
        "id_province",
        server.id_of("places_province", "15"),
        server.id_of("places_commune", "02647"),
    )
    assert communes > 10, f"only {communes} communes offered for Lào Cai"
    fill(
        page,
        {
            "id_border_kind": "land",
            "id_handed_over_by": "foreign_authority",
            "id_foreign_authority": "Công an huyện Hà Khẩu (Trung Quốc)",
            "id_handover_record_number": "BB-2026-117",
            "id_persons_on_list": "3",
            "id_full_name": name,
            "id_sex": "F",
            "id_approximate_age": "24",
            "id_ethnicity": server.id_of("places_ethnicity", "08"),
            "id_languages": "Tiếng H'Mông",
            "id_needs_interpreter": True,
            "id_nationality": server.id_of("places_country", "VN"),
        },
    )
    # A former province (before the 2025 merger) is accepted and resolves to today's.
    choose_province(page, "id_home_province", server.id_of("places_province", "L02"), None)
    fill(
        page,
        {
            "id_home_address": "Thôn Lũng Cú",
            "id_destination_country": server.id_of("places_country", "CN"),
            "id_exploitation_forms_2": True,  # forced marriage
            "id_recruitment": page.locator("#id_recruitment option").nth(1).get_attribute("value"),
            "id_account": account or "Bị lừa sang bên kia biên giới để lấy chồng.",
            "id_need_medical": True,
            "id_need_shelter": True,
            "id_need_food": True,
            "id_handover_to": server.id_of("agencies_organisation", "ctxh-laocai"),
            "id_handover_at": local(received + datetime.timedelta(hours=2)),
            "id_handover_record": "BG-2026-0042",
        },
    )
    if upload:
        fill(page, {"id_doc-0-kind": "handover_record", "id_doc-0-file": upload})
    journey.check(page, "reception-form-filled")
    return submit_reception(journey, page, "case-after-handover", doc="case")


def timeline(page) -> list[str]:
    return [t.strip() for t in page.locator("ol.timeline li").all_inner_texts()]


def search_cases(journey, page, query: str, label: str) -> int:
    """Search the case list as a person types (HTMX); return the number of rows shown."""
    if re.sub(r"^https?://[^/]+", "", page.url).split("?")[0] != "/cases/":
        follow(journey, page, nav_link(journey, page, "Cases"), "case-list")
    with page.expect_response(lambda r: "/cases/" in r.url and "q=" in r.url):
        page.fill("#id_q", query)
    page.wait_for_load_state()
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=query)
    journey.check(page, label)
    return page.locator("#results table.cases tbody tr").count()


def fold(text: str) -> str:
    """The name as typed on a keyboard without Vietnamese input: no marks, đ as d."""

    stripped = "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
    )
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def card(page, heading: str):
    """The section of the case page under the heading `heading` (exactly)."""
    return page.locator("section.card").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )


def fill_in(form, values: dict):
    """Fill the controls of one form by name: a page with several inline forms of the same
    kind (a visit form per scheduled visit) repeats their ids, so ids are not enough."""
    for name, value in values.items():
        control = form.locator(f"[name='{name}']")
        kind = control.evaluate("el => el.tagName === 'SELECT' ? 'select' : el.type")
        if kind == "select":
            control.select_option(value)
        elif kind == "checkbox":
            control.set_checked(bool(value))
        else:
            control.fill(str(value))


def follow(journey, page, link, label: str, **check):
    """Click a link as a person would, wait for the page it leads to and check that page."""
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")
    journey.check(page, label, **check)


def submit(journey, page, button, label: str, **check):
    """Press a form's button; wait for the page the server answers with (usually the same
    address, after a redirect), check it and see its success message."""
    with page.expect_navigation():
        button.click()
    journey.check(page, label, **check)
    message = page.locator("p.message")
    assert page.locator("p.message.success").is_visible(), message.all_inner_texts()


def nav_link(journey, page, msgid: str):
    """A link of the header's main navigation, by its name (`msgid` in English)."""
    main = page.get_by_role("navigation", name=journey.t("Main"), exact=True)
    return main.get_by_role("link", name=journey.t(msgid), exact=True)


def open_from_work_list(journey, page, reference: str, label: str):
    """Follow the case's link in My work (the home page)."""
    link = page.locator("ul.worklist").get_by_role("link", name=reference, exact=True)
    follow(journey, page, link.first, label)


def open_from_case_list(journey, page, reference: str, label: str):
    """Find the case in the case list by its reference and follow its link."""
    assert search_cases(journey, page, reference, f"{label}-search") == 1, reference
    link = page.locator("#results").get_by_role("link", name=reference, exact=True)
    follow(journey, page, link, label)


def open_case_tab(journey, page, tab: str, label: str, **check):
    """From a case page, follow the tab named `tab` (its English msgid: "Support",
    "Identification and return"…) in the case's navigation, "Parts of the case"."""
    tabs = page.get_by_role("navigation", name=journey.t("Parts of the case"), exact=True)
    link = tabs.get_by_role("link", name=journey.t(tab), exact=True)
    follow(journey, page, link, label, **check)
    assert link.get_attribute("aria-current") == "page", f"{tab!r} is not the current tab"


# Consent and the support plan: the owning organisation's steps on a case ------------------


def consent_to_share(organisation_id: str) -> dict:
    """Her consent, given in person, to share her information with one organisation."""
    return {
        "id_purpose": "share",
        "id_decision": "given",
        "id_recipient_organisation": organisation_id,
        "id_given_by": "person",
        "id_informed_in_language": "Tiếng Việt",
    }


def record_consent(journey, page, values: dict, label: str, **check):
    """On the overview of a case the user's organisation owns, record her decision in the
    "Consent and sharing" panel; `values` fill the form by id (id_purpose, id_decision…).
    Pages are checked as `<label>-form` and `<label>-recorded`."""
    panel = page.locator("#consent")
    rows = panel.locator("table.cases tbody tr")
    before = rows.count()
    panel.locator("details", has=page.locator("form[action$='/consents/']")).locator(
        "summary"
    ).click()
    fill(page, values)
    journey.check(page, f"{label}-form")
    button = panel.locator("form[action$='/consents/']").get_by_role(
        "button", name=journey.t("Record consent"), exact=True
    )
    submit(journey, page, button, f"{label}-recorded", **check)
    assert rows.count() == before + 1, rows.all_inner_texts()


def record_support_plan(journey, page, reference: str, *, goals: str, choices: str, **check):
    """On the case's Support tab, make the plan with her: her goals and choices."""
    plan = page.locator(f"form[action='/cases/{reference}/support/plan/']")
    page.locator("details", has=plan).locator("summary").click()
    fill_in(plan, {"made_with_her": True, "her_goals": goals, "her_choices": choices})
    journey.check(page, "support-plan-form")
    button = plan.get_by_role("button", name=journey.t("Save plan"), exact=True)
    submit(journey, page, button, "support-plan-saved", **check)
    assert re.search(rf"/cases/{reference}/support/$", page.url), page.url
    saved = card(page, journey.t("Support plan")).inner_text()
    assert goals in saved and choices in saved, saved
