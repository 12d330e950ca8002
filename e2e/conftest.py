"""Fixtures of the browser journeys: a real Haven server, Debian's Chromium, both languages.

`pytest e2e` (or `make e2e`) runs them; `make screenshots` also keeps a picture of every page
checked. See e2e/README.md.
"""

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from e2e import checks
from e2e.server import HavenServer, prepare_template, temp_root

CHROMIUM = os.environ.get("HAVEN_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LANGUAGES = ["vi", "en"]
BROWSER_LOCALES = {"vi": "vi-VN", "en": "en-GB"}
DEMO_PASSWORD = "haven-demo-2026"  # noqa: S105  (haven.demo.DEMO_PASSWORD, printed by load_demo)
SCREENSHOT_DIR = Path(
    os.environ.get(
        "HAVEN_E2E_SCREENSHOT_DIR", Path(__file__).resolve().parent.parent / "screenshots"
    )
)
SCREENSHOTS_ON_DEMAND = os.environ.get("HAVEN_E2E_SCREENSHOTS") == "1"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


CHECK_TIME = {"pages": 0, "seconds": 0.0}


AXE_SEEN: dict[tuple[str, str, str], set[str]] = {}  # (impact, rule, help) -> paths


def pytest_terminal_summary(terminalreporter):
    for (impact, rule, help_text), paths in sorted(AXE_SEEN.items()):
        terminalreporter.write_line(
            f"axe-core {impact}: {rule} ({help_text}) on {len(paths)} page(s), e.g. {min(paths)}"
        )
    if CHECK_TIME["pages"]:
        terminalreporter.write_line(
            f"e2e: {CHECK_TIME['pages']} page checks (axe-core, language, layout) took "
            f"{CHECK_TIME['seconds']:.1f}s"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def haven_root(request):
    root = temp_root()
    yield root
    if request.session.testsfailed:  # keep the servers' logs beside the failure screenshots
        logs = SCREENSHOT_DIR / "failures" / "server-logs"
        logs.mkdir(parents=True, exist_ok=True)
        for log in root.glob("*.log"):
            shutil.copy(log, logs / log.name)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def haven_template(haven_root):
    return prepare_template(haven_root)


@pytest.fixture(scope="session")
def haven(haven_root, haven_template):
    """The Haven server most journeys share (demo mode: two-factor authentication off)."""
    server = HavenServer(haven_template, haven_root, "main").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def haven_2fa(haven_root, haven_template):
    """A second server, on a copy of the same data, that requires two-factor authentication."""
    server = HavenServer(
        haven_template, haven_root, "two-factor", {"HAVEN_2FA_REQUIRED": "1"}
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        # Playwright gives each launch a fresh temporary profile (user-data dir).
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=LANGUAGES)
def lang(request):
    return request.param


class Journey:
    """One person's (or several people's) path through Haven in one language.

    Every page is checked by `check()`; `finish()` fails the test with everything found.
    """

    def __init__(self, browser, server: HavenServer, lang: str, name: str):
        self.browser = browser
        self.server = server
        self.lang = lang
        self.name = name
        self.contexts = []
        self.pages = []
        self.problems: list[str] = []
        self.visited: dict[str, str] = {}  # path -> first URL
        self.checked: set[str] = set()
        self.shots = 0
        self.finished = False
        self.catalogue = checks.Catalogue.for_language(lang)

    def t(self, msgid: str) -> str:
        return checks.translate(self.lang, msgid)

    # Browsers and signing in ------------------------------------------------------------
    def new_page(self, *, phone: bool = False, server: HavenServer | None = None):
        server = server or self.server
        options = {"viewport": PHONE if phone else DESKTOP, "locale": BROWSER_LOCALES[self.lang]}
        if phone:
            options.update(is_mobile=True, has_touch=True)
        context = self.browser.new_context(base_url=server.url, **options)
        context.set_default_timeout(10_000)
        # axe-core is compiled once per document before the page's own scripts, instead of
        # being sent over the wire at every check (CSP does not apply to init scripts).
        context.add_init_script(path=str(checks.AXE_JS))
        context.add_cookies([{"name": "django_language", "value": self.lang, "url": server.url}])
        page = context.new_page()
        page.on("framenavigated", lambda frame: self._navigated(page, frame))
        page.on("response", self._response)
        self.contexts.append(context)
        self.pages.append(page)
        return page

    def _response(self, response):
        if response.status >= 500:
            self.problems.append(
                f"server error: HTTP {response.status} for {response.request.method} "
                f"{_path(response.url)} (server log: screenshots/failures/server-logs/)"
            )

    def _navigated(self, page, frame):
        if frame == page.main_frame and frame.url.startswith("http"):
            self.visited.setdefault(_path(frame.url), frame.url)

    def sign_in(self, username: str, *, phone: bool = False, server=None, expect_home=True):
        page = self.new_page(phone=phone, server=server)
        page.goto("/")
        assert "/accounts/login/" in page.url
        self.check(page, "sign-in")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        with page.expect_response(
            lambda r: r.request.method == "POST" and "/accounts/login/" in r.url
        ) as posted:
            page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        if posted.value.status == 403:
            (server or self.server).fail_with_log(f"signing in as {username}: HTTP 403")
        if expect_home:
            assert _path(page.url) == "/", f"{username} did not reach the home page: {page.url}"
            self.check(page, f"home-{username}")
        return page

    def switch_language(self, page):
        """Press the language button in the header; from then on expect the other language."""
        other = "en" if self.lang == "vi" else "vi"
        page.locator(f"header form.lang button[value='{other}']").click()
        page.wait_for_function("lang => document.documentElement.lang === lang", arg=other)
        self.lang = other
        self.catalogue = checks.Catalogue.for_language(other)

    # Checks ---------------------------------------------------------------------------------
    def check(self, page, label: str, *, doc: str | None = None, doc_part: str | None = None):
        """Accessibility, language and (on a phone) sideways scrolling of the page as it is.

        `doc` names a picture for the README: with screenshots on, the visible part of the
        page (or the element `doc_part`) is also saved as screenshots/docs/<doc>-<lang>.png.
        """
        started = time.perf_counter()
        try:
            self._check(page, label)
            if SCREENSHOTS_ON_DEMAND and doc:
                target = page.locator(doc_part) if doc_part else page
                folder = SCREENSHOT_DIR / "docs"
                folder.mkdir(parents=True, exist_ok=True)
                target.screenshot(path=str(folder / f"{doc}-{self.lang}.png"))
        finally:
            CHECK_TIME["pages"] += 1
            CHECK_TIME["seconds"] += time.perf_counter() - started

    def _check(self, page, label: str):
        page.wait_for_load_state()
        where = f"{label} ({_path(page.url)})"
        self.checked.add(_path(page.url))
        html_lang = page.evaluate("() => document.documentElement.lang")
        if html_lang != self.lang:
            self.problems.append(f"{where}: <html lang={html_lang!r}>, expected {self.lang!r}")
        violations = checks.run_axe(page)
        for v in violations:
            AXE_SEEN.setdefault((v["impact"], v["id"], v["help"]), set()).add(_path(page.url))
        blocking = [v for v in violations if v["impact"] in checks.BLOCKING_IMPACTS]
        if blocking:
            self.problems.append(
                f"{where}: axe-core found {len(blocking)} serious or critical violation(s):\n"
                + "\n".join(checks.format_violation(v) for v in blocking)
            )
        foreign = self.catalogue.find(checks.visible_texts(page))
        if foreign:
            what = "untranslated (English) text" if self.lang == "vi" else "Vietnamese text"
            self.problems.append(
                f"{where}: {what} shown:\n"
                + "\n".join(f"    {text!r} (msgid {msgid!r})" for text, msgid in foreign)
            )
        if page.viewport_size and page.viewport_size["width"] <= PHONE["width"]:
            overflow = checks.horizontal_overflow(page)
            if overflow:
                self.problems.append(
                    f"{where}: scrolls sideways on a {overflow['width']}px screen "
                    f"(content {overflow['scrollWidth']}px wide); widest: "
                    + "; ".join(overflow["wide"])
                )
        if SCREENSHOTS_ON_DEMAND:
            self.screenshot(page, label, SCREENSHOT_DIR / self.name)

    def screenshot(self, page, label: str, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        safe = re.sub(r"[^\w.-]+", "-", label).strip("-")
        page.screenshot(path=str(folder / f"{self.shots:02d}-{safe}.png"), full_page=True)

    def finish(self):
        """Fail with every problem found, and with any visited page that was not checked."""
        self.finished = True
        unchecked = sorted(set(self.visited) - self.checked)
        if unchecked:
            self.problems.append(f"pages visited but not checked: {unchecked}")
        if self.problems:
            pytest.fail(
                f"{len(self.problems)} problem(s) in {self.name}:\n\n" + "\n\n".join(self.problems),
                pytrace=False,
            )

    def close(self):
        for context in self.contexts:
            context.close()


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("#")[0] or "/"


@pytest.fixture
def journey(request, browser, haven, lang):
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    trip = Journey(browser, haven, lang, name)
    yield trip
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        shutil.rmtree(SCREENSHOT_DIR / "failures" / name, ignore_errors=True)
        for i, page in enumerate(trip.pages):
            if not page.is_closed():
                trip.screenshot(page, f"failure-page{i + 1}", SCREENSHOT_DIR / "failures" / name)
    trip.close()
    if failed is not None and failed.passed and not trip.finished:
        pytest.fail("the journey did not call finish(): its checks were not reported")
