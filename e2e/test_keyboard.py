"""The reception form completed with the keyboard alone: Tab to move, typing, arrow keys in
lists, Space for boxes and the file picker, Enter to send. No mouse click anywhere.

Reading the page (which element has focus, which option is where) is not an interaction, so
the test does it to know how many keys to press.
"""

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from e2e import flows

MAX_TABS = 250


def focused(page) -> dict:
    return page.evaluate(
        """() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {id: el.id, tag: el.tagName.toLowerCase(), href: el.getAttribute('href') || '',
              type: el.type || '', indicator: style.outlineStyle !== 'none'
                && parseFloat(style.outlineWidth) > 0 || style.boxShadow !== 'none'};
    }"""
    )


class Keyboard:
    def __init__(self, journey, page):
        self.journey = journey
        self.page = page
        self.no_indicator: set[str] = set()

    def tab_to(self, match) -> dict:
        """Press Tab until `match(focused)`; every stop must show where the focus is."""
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            now = focused(self.page)
            # Date and time inputs show focus by highlighting the segment being typed.
            if not now["indicator"] and now["type"] not in {"date", "datetime-local", "time"}:
                self.no_indicator.add(now["id"] or now["href"] or now["tag"])
            if match(now):
                return now
        raise AssertionError(f"Tab never reached the element ({MAX_TABS} presses)")

    def to(self, element_id: str):
        return self.tab_to(lambda f: f["id"] == element_id)

    def type(self, element_id: str, text: str):
        self.to(element_id)
        self.page.keyboard.type(text)

    def choose(self, element_id: str, value: str):
        """Move through a closed <select> with Home and the down arrow to the option."""
        self.to(element_id)
        index = self.page.eval_on_selector(
            f"#{element_id}", "(s, v) => [...s.options].findIndex(o => o.value === v)", value
        )
        assert index >= 0, f"{element_id}: no option {value!r}"
        self.page.keyboard.press("Home")
        for _ in range(index):
            self.page.keyboard.press("ArrowDown")
        assert self.page.input_value(f"#{element_id}") == value

    def tick(self, element_id: str):
        self.to(element_id)
        self.page.keyboard.press("Space")
        assert self.page.is_checked(f"#{element_id}")

    def date_time(self, element_id: str, when):
        """Type into <input type=datetime-local> segment by segment, in the order this
        browser shows the segments (found on a scratch page: Chromium takes it from the
        system locale, not from the page's language)."""
        keys = datetime_keys(self.page.context, when)
        self.to(element_id)
        press_all(self.page, keys)
        assert self.page.input_value(f"#{element_id}") == flows.local(when)


def datetime_key_orders(when) -> list[list[tuple[str, str]]]:
    # The year segment takes up to six digits, so an arrow key moves on to the time.
    return [
        [
            ("type", when.strftime("%m%d%Y")),
            ("press", "ArrowRight"),
            ("type", when.strftime("%I%M")),
            ("type", when.strftime("%p")[0]),
        ],  # US, 12-hour
        [
            ("type", when.strftime("%d%m%Y")),
            ("press", "ArrowRight"),
            ("type", when.strftime("%H%M")),
        ],  # day first, 24-hour
        [
            ("type", when.strftime("%Y")),
            ("press", "ArrowRight"),
            ("type", when.strftime("%m%d%H%M")),
        ],  # ISO order
    ]


def press_all(page, keys):
    for kind, arg in keys:
        getattr(page.keyboard, kind)(arg)


def datetime_keys(context, when):
    scratch = context.new_page()
    try:
        for keys in datetime_key_orders(when):
            scratch.set_content('<input id="a"><input type="datetime-local" id="d">')
            scratch.focus("#a")
            scratch.keyboard.press("Tab")
            press_all(scratch, keys)
            if scratch.input_value("#d") == flows.local(when):
                return keys
    finally:
        scratch.close()
    raise AssertionError("no known segment order fills <input type=datetime-local> here")


def open_file_chooser_by_keyboard(page, element_id: str):
    """Space on the focused file input opens the chooser. Once in CI Chromium let a first
    press pass with no chooser (the test then timed out), so the press is repeated, still
    from the keyboard, while the input keeps the focus."""
    for attempt in range(3):
        assert page.evaluate("document.activeElement.id") == element_id
        try:
            with page.expect_file_chooser(timeout=5000) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def test_reception_form_by_keyboard_only(journey, tmp_path):
    server = journey.server
    name = flows.unique_name()
    pdf = tmp_path / "danh-sach.pdf"
    pdf.write_bytes(flows.PDF)

    page = journey.new_page()
    page.goto("/accounts/login/")
    journey.check(page, "sign-in")
    keys = Keyboard(journey, page)
    assert focused(page)["id"] == "id_username", "the username field should have focus"
    page.keyboard.type("bp.cklaocai")
    keys.type("id_password", "haven-demo-2026")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.url}/")
    journey.check(page, "home")

    # The skip link comes first and leads to the content.
    first = keys.tab_to(lambda f: True)
    assert first["href"] == "#main", f"first Tab stop: {first}"
    keys.tab_to(lambda f: f["href"] == "/receptions/new/border_handover/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/receptions/new/border_handover/")
    journey.check(page, "reception-form")

    received = flows.hours_ago(3).replace(second=0, microsecond=0)
    keys.date_time("id_received_at", received)
    # Each arrow press is a change, so HTMX asks for communes of every province passed; the
    # list must end up with the chosen province's communes.
    keys.choose("id_province", server.id_of("places_province", "15"))
    ban_lau = server.id_of("places_commune", "02788")
    page.locator(f"#id_commune option[value='{ban_lau}']").wait_for(state="attached")
    keys.choose("id_commune", ban_lau)
    keys.choose("id_border_kind", "land")
    keys.choose("id_handed_over_by", "border_guards")
    keys.type("id_full_name", name)
    keys.choose("id_sex", "F")
    keys.type("id_approximate_age", "19")
    keys.tick("id_needs_interpreter")
    keys.tick("id_exploitation_forms_1")
    keys.tick("id_need_food")
    keys.choose("id_doc-0-kind", "persons_list")
    keys.to("id_doc-0-file")
    open_file_chooser_by_keyboard(page, "id_doc-0-file").set_files(pdf)
    journey.check(page, "reception-form-filled")
    keys.tab_to(
        lambda f: (
            f["tag"] == "button"
            and f["type"] == "submit"
            and not f["id"]
            and page.evaluate("document.activeElement.closest('form.reception') !== null")
        )
    )
    page.keyboard.press("Enter")

    page.wait_for_url(flows.REFERENCE)
    journey.check(page, "case")
    assert page.locator("h2", has_text=name).is_visible()
    assert "danh-sach.pdf" in page.locator("main").inner_text()
    if keys.no_indicator:
        journey.problems.append(
            f"keyboard focus not visible (no outline or box-shadow) on: {sorted(keys.no_indicator)}"
        )
    journey.finish()
