# SPDX-License-Identifier: EUPL-1.2
"""The public site in a real browser: Playwright driving Debian's Chromium against
pytest-django's live server, with the real reference data and demo data.

- axe-core finds no WCAG 2.0/2.1 A or AA violation on any public page, in Dutch and
  English, on a desktop screen and on a phone;
- the pages log no console error, break no Content Security Policy rule and load
  nothing from another host (the maps work without a tile server);
- the main interactions work: the action line cards, the language switch, the maps,
  the skip link.

Playwright never downloads a browser here: it launches the system's ``chromium``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from cirkelregio.regions.models import ActionLine, Participation

REPO_DIR = Path(__file__).resolve().parents[4]
AXE_FILE = REPO_DIR / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
# axe is injected as a script from the site's own origin (the route below answers it
# from AXE_FILE), so the page's strict Content Security Policy stays in force.
AXE_PATH = "/__axe__/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

PAGES = [
    "/",
    "/actielijnen/",
    "/actielijnen/heel-utrecht-repareert/",
    "/actielijnen/circulair-ondernemerschap/",
    "/gemeenten/",
    "/gemeenten/utrecht/",
    "/gemeenten/renswoude/",
    "/deelname/",
    "/organisaties/provincie-utrecht/",
    "/organisaties/repair-cafe-de-voorbeeldwijk-demo/",
    "/mki/",
    "/mki/monitor/",
    "/uitwisseling/",
    "/gemeenten/amersfoort/",
    "/privacy/",
]
LANGUAGES = {"nl": "", "en": "/en"}

DUTCH_LINE_NAMES = [
    "Utrechtse Asfaltstrategie",
    "Stenen delen in de regio",
    "MKI onder de knie",
    "Utrechtse Aanpak Biobased Isoleren",
    "Agricycling",
    "Heel Utrecht Repareert",
    "Circulaire Bewonersinitiatieven",
    "Circulaire Ambachtscentra",
]
ENGLISH_LINE_NAMES = [
    "Utrecht Asphalt Strategy",
    "Sharing Bricks in the Region",
    "Getting to Grips with the MKI",
    "Utrecht Approach to Bio-based Insulation",
    "Agricycling",
    "All of Utrecht Repairs",
    "Circular Resident Initiatives",
    "Circular Craft Centres",
]

# Reports every Content Security Policy violation as a console error, so that the
# console listener sees it even when Chromium itself would not log it.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " blocked "
    + (event.blockedURI || "inline") + " at " + event.sourceFile + ":"
    + event.lineNumber);
});
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's synchronous API keeps an asyncio event loop in this thread, and
    # Django refuses database access from a thread with a running loop. The tests do
    # no asynchronous work of their own, so the check can be turned off here (the
    # live server answers in its own thread).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> str:
    """The live server's URL, with the region's reference data and the demo data
    committed, so that the server thread sees them."""
    from cirkelregio.exchange.services import exchange_demo_load, match_run_start
    from cirkelregio.mki.services import mki_demo_load
    from cirkelregio.regions.services import demo_data_load, reference_data_load

    data_dir = Path(settings.DATA_DIR)
    reference_data_load(directory=data_dir / "regions" / "nl-utrecht")
    demo_data_load(directory=data_dir / "demo" / "nl-utrecht")
    mki_demo_load(directory=data_dir / "demo" / "nl-utrecht" / "mki")
    exchange_demo_load(directory=data_dir / "demo" / "nl-utrecht" / "exchange")
    match_run_start(actor=None)
    return str(live_server.url)


@dataclass
class Tab:
    """A browser page that records what could go wrong while it is used."""

    page: Page
    base_url: str
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.set_default_timeout(10_000)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.problems.append(f"{error}"))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "requestfailed",
            lambda request: self.problems.append(f"request failed: {request.url}"),
        )

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def open(self, path: str) -> None:
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.status == 200, path
        if self.page.locator("[data-map]").count():
            self.page.wait_for_selector("[data-map][data-ready='true']")

    def axe_violations(self) -> list[dict[str, Any]]:
        self.page.add_script_tag(url=AXE_PATH)
        # resultTypes only trims the details axe collects for passes; every rule of
        # the tags still runs and every violation is reported in full.
        result = self.page.evaluate(
            """tags => axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            })""",
            AXE_TAGS,
        )
        return list(result["violations"])

    def assert_clean(self) -> None:
        """No console error, no CSP violation, no script error, no failed request,
        and no request to any host other than the live server."""
        assert not self.problems, "\n".join(self.problems)
        foreign = [
            url for url in self.requests if not url.startswith(self.base_url + "/")
        ]
        assert not foreign, "requests to other hosts:\n" + "\n".join(foreign)


def _new_context(browser: Browser, **options: Any) -> BrowserContext:
    context = browser.new_context(**options)
    context.route(
        "**" + AXE_PATH,
        lambda route: route.fulfill(path=AXE_FILE, content_type="text/javascript"),
    )
    context.add_init_script(CSP_LISTENER)
    return context


# One browser context per screen for the whole module, so that the browser caches the
# style sheets and scripts between tests; every test gets a fresh page.
@pytest.fixture(scope="module")
def desktop_context(browser: Browser) -> Iterator[BrowserContext]:
    context = _new_context(browser, viewport=DESKTOP)
    yield context
    context.close()


@pytest.fixture(scope="module")
def phone_context(browser: Browser) -> Iterator[BrowserContext]:
    context = _new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    yield context
    context.close()


@pytest.fixture
def tab(desktop_context: BrowserContext, site: str) -> Iterator[Tab]:
    page = desktop_context.new_page()
    yield Tab(page, site)
    page.close()


@pytest.fixture
def phone(phone_context: BrowserContext, site: str) -> Iterator[Tab]:
    page = phone_context.new_page()
    yield Tab(page, site)
    page.close()


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


# Accessibility ----------------------------------------------------------------------


@pytest.mark.browser
def test_axe_file_is_there() -> None:
    assert AXE_FILE.is_file(), f"{AXE_FILE} is missing: run npm install in frontend/"


def _check_accessibility(view: Tab, path: str, screen: str) -> None:
    """axe on the page in both languages; every violation of both in one message."""
    reports = []
    for language, prefix in LANGUAGES.items():
        view.open(prefix + path)
        assert view.page.locator("html").get_attribute("lang") == language
        violations = view.axe_violations()
        if violations:
            reports.append(f"axe on {prefix + path} ({screen}):\n{_report(violations)}")
    assert not reports, "\n".join(reports)
    view.assert_clean()


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violations(tab: Tab, path: str) -> None:
    _check_accessibility(tab, path, "desktop")


@pytest.mark.browser
@pytest.mark.parametrize(
    "path",
    ["/", "/deelname/", "/actielijnen/heel-utrecht-repareert/", "/uitwisseling/"],
)
def test_page_on_a_phone_has_no_accessibility_violations(phone: Tab, path: str) -> None:
    _check_accessibility(phone, path, "375x812")


def _mki_pages() -> list[str]:
    from cirkelregio.mki.models import Project, Tender

    project = Project.objects.filter(variants__isnull=False).order_by("id").first()
    tender = Tender.objects.order_by("id").first()
    assert project is not None and tender is not None
    return [f"/mki/projecten/{project.pk}/", f"/mki/aanbestedingen/{tender.pk}/"]


@pytest.mark.browser
def test_mki_project_and_tender_pages_have_no_accessibility_violations(
    tab: Tab, phone: Tab
) -> None:
    for path in _mki_pages():
        _check_accessibility(tab, path, "desktop")
        _check_accessibility(phone, path, "375x812")


@pytest.mark.browser
def test_mki_project_page_shows_the_variants_and_their_numbers(tab: Tab) -> None:
    from cirkelregio.mki.models import Variant

    path = _mki_pages()[0]
    tab.open(path)
    names = list(
        Variant.objects.filter(project_id=int(path.split("/")[3])).values_list(
            "name", flat=True
        )
    )
    for name in names:
        assert tab.page.get_by_role("rowheader", name=name).first.is_visible()
    chart = tab.page.locator("figure.cr-chart").first
    assert chart.locator("rect").count() >= len(names)
    chart.locator("summary").click()
    assert chart.locator("table tbody tr").count() == len(names)
    tab.assert_clean()


@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_phone(phone: Tab) -> None:
    """Content reflows to the width of a phone (WCAG 1.4.10): wide tables scroll
    inside their own container, the page itself never scrolls sideways."""
    too_wide = {}
    for prefix in LANGUAGES.values():
        for path in [*PAGES, *_mki_pages()]:
            phone.open(prefix + path)
            width = phone.page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[prefix + path] = width
    assert not too_wide, f"pages wider than {PHONE['width']}px: {too_wide}"
    phone.assert_clean()


@pytest.mark.browser
def test_table_columns_do_not_break_words(tab: Tab, phone: Tab) -> None:
    """Table cells wrap between words only, never inside a name."""
    for view in (tab, phone):
        for path in ["/deelname/", "/gemeenten/utrecht/", "/actielijnen/"]:
            view.open(path)
            broken = view.page.evaluate(
                """() => [...document.querySelectorAll('table a')]
                  .filter(a => !a.textContent.includes(' ')
                    && a.getClientRects().length > 1)
                  .map(a => a.textContent)"""
            )
            assert not broken, f"{path}: words broken over lines: {broken}"
        view.assert_clean()


@pytest.mark.browser
def test_skip_link_is_the_first_stop_and_moves_focus_to_main(tab: Tab) -> None:
    for prefix, label in [("", "Naar de inhoud"), ("/en", "Skip to content")]:
        tab.open(prefix + "/actielijnen/")
        tab.page.keyboard.press("Tab")
        focused = tab.page.evaluate(
            "[document.activeElement.matches('a.utrecht-skip-link'),"
            " document.activeElement.textContent]"
        )
        assert focused == [True, label]
        box = tab.page.locator(".utrecht-skip-link").bounding_box()
        assert box is not None and box["y"] >= 0 and box["width"] > 0, (
            "the focused skip link is not visible"
        )
        tab.page.keyboard.press("Enter")
        tab.page.wait_for_url(re.compile(r"#main$"))
        assert tab.page.evaluate("document.activeElement.id") == "main"
    tab.assert_clean()


# Behaviour ----------------------------------------------------------------------


@pytest.mark.browser
def test_home_shows_the_eight_action_lines_in_dutch(tab: Tab) -> None:
    tab.open("/")
    page = tab.page
    assert page.get_by_role("heading", level=2, name="De acht actielijnen").count()
    titles = page.locator(".cr-card .cr-card__title").all_inner_texts()
    assert [" ".join(title.split()) for title in titles] == [
        f"{number} {name}" for number, name in enumerate(DUTCH_LINE_NAMES, start=1)
    ]
    assert page.locator(".cr-card a").count() == 8
    tab.assert_clean()


@pytest.mark.browser
def test_action_line_card_opens_the_line_with_participants_by_phase(
    tab: Tab,
) -> None:
    tab.open("/")
    page = tab.page
    page.locator(".cr-card").get_by_role("link", name="Heel Utrecht Repareert").click()
    page.wait_for_url(tab.base_url + "/actielijnen/heel-utrecht-repareert/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Heel Utrecht Repareert"
    )

    line = ActionLine.objects.get(slug="heel-utrecht-repareert")
    expected = {}
    for phase, name in [
        ("connect", "Verbinden"),
        ("explore", "Verkennen"),
        ("realise", "Verwezenlijken"),
    ]:
        count = Participation.objects.filter(
            action_line=line, phase=phase, organisation__is_published=True
        ).count()
        if count:
            expected[name] = count
    assert len(expected) == 3, "the demo data has this line in every phase"

    headings = page.locator("#participants ~ h3").all_inner_texts()
    shown = {}
    for text in headings:
        match = re.fullmatch(r"\s*(\S+)\s+\((\d+)\)\s*", text)
        assert match, f"unexpected phase heading {text!r}"
        shown[match[1]] = int(match[2])
    assert shown == expected
    assert list(shown) == list(expected), "phases are in phase order"
    for position, (name, count) in enumerate(expected.items(), start=1):
        table = page.locator("#participants ~ .cr-table-wrap").nth(position - 1)
        assert table.locator("tbody tr").count() == count, name
    tab.assert_clean()


@pytest.mark.browser
def test_language_switch_goes_to_english_and_back(tab: Tab) -> None:
    tab.open("/")
    page = tab.page
    page.get_by_role("navigation", name="Taal").get_by_role(
        "link", name="English"
    ).click()
    page.wait_for_url(tab.base_url + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=2, name="The eight action lines").count()
    titles = " ".join(page.locator(".cr-card__title").all_inner_texts())
    for name in ENGLISH_LINE_NAMES:
        assert name in titles
    assert "Asfaltstrategie" not in titles

    page.get_by_role("navigation", name="Language").get_by_role(
        "link", name="Nederlands"
    ).click()
    page.wait_for_url(tab.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=2, name="De acht actielijnen").count()

    # A deeper page switches to the same page in the other language.
    tab.open("/gemeenten/utrecht/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(tab.base_url + "/en/gemeenten/utrecht/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Municipality of Utrecht"
    )
    tab.assert_clean()


@pytest.mark.browser
def test_municipality_map_draws_the_boundary_without_a_tile_server(tab: Tab) -> None:
    tab.open("/gemeenten/utrecht/")
    page = tab.page
    assert page.locator("#municipality-map").get_attribute("data-ready") == "true"
    paths = page.locator("#municipality-map .leaflet-overlay-pane svg path")
    assert paths.count() == 1
    assert len(re.findall(r"[ML]", paths.first.get_attribute("d") or "")) > 20
    assert page.locator(".leaflet-tile").count() == 0
    # The controls speak the page's language.
    zoom_in = page.locator(".leaflet-control-zoom-in")
    assert zoom_in.get_attribute("aria-label") == "Inzoomen"
    assert "Grenzen" in page.locator(".leaflet-control-attribution").inner_text()
    tab.assert_clean()  # includes: no request to any host but the live server
    assert any("/static/vendor/leaflet/leaflet.js" in url for url in tab.requests)

    tab.open("/en/gemeenten/utrecht/")
    assert page.locator(".leaflet-control-zoom-in").get_attribute("aria-label") == (
        "Zoom in"
    )
    assert "Boundaries" in page.locator(".leaflet-control-attribution").inner_text()
    tab.assert_clean()


@pytest.mark.browser
def test_region_map_has_a_boundary_per_municipality(tab: Tab) -> None:
    tab.open("/gemeenten/")
    page = tab.page
    assert page.locator("#region-map").get_attribute("data-ready") == "true"
    paths = page.locator("#region-map .leaflet-overlay-pane svg path")
    assert paths.count() == 26
    fills = {paths.nth(i).get_attribute("fill") for i in range(paths.count())}
    assert len(fills) > 1, "the municipalities are shaded by their number of lines"
    assert page.locator(".leaflet-tile").count() == 0
    tab.assert_clean()


@pytest.mark.browser
def test_years_are_not_written_as_thousands(tab: Tab) -> None:
    """USE_THOUSAND_SEPARATOR must not turn 2024 into 2.024."""
    tab.open("/gemeenten/utrecht/")
    population = tab.page.locator(".cr-datalist dd").nth(1).inner_text()
    assert re.fullmatch(r"374\.238 \(20\d\d\)", population), population
    tab.open("/actielijnen/heel-utrecht-repareert/")
    plans = tab.page.locator(".cr-plan h3").all_inner_texts()
    assert plans and all(re.match(r"20\d\d: ", title) for title in plans), plans
    tab.assert_clean()
