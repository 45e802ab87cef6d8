"""The dashboard in a real chromium: every page, a filter on each, the URL, the CSV, English.

Waits are on content (the URL's new parameter, the new chart title, the new row count) and
then on `[data-test-script-state=notRunning]`, never on fixed sleeps: while Streamlit reruns,
old and new elements coexist for a moment. Full-page screenshots of every page go to
artifacts/screenshots/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from dashboard import guard
from dashboard.i18n import t
from dashboard.page_list import PAGE_SPECS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
TIMEOUT = 15_000  # ms; a rerun here takes well under a second
# The frontend probes <page>/_stcore/health and host-config when a deep link is opened;
# Streamlit answers 404 there and carries on. Nothing else may fail.
BENIGN_404 = re.compile(r"/_stcore/(health|host-config)$")
BOM = b"\xef\xbb\xbf"


# --- helpers -------------------------------------------------------------------------------


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def settle(page: Page) -> None:
    """The script run that produced the content we waited for has finished."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def wait_param(page: Page, key: str, ok: Callable[[list[str] | None], bool]) -> list[str] | None:
    page.wait_for_url(lambda url: ok(params(url).get(key)), timeout=TIMEOUT)
    return params(page.url).get(key)


def open_page(page: Page, url_path: str, heading: str) -> None:
    """Go to a page through the sidebar navigation (same session, filters carried)."""
    href = "/" if url_path == "" else f"/{url_path}"
    page.locator(f'[data-testid=stSidebarNav] a[href$="{href}"]').click()
    page.wait_for_url(lambda url: urlparse(url).path == href, timeout=TIMEOUT)
    expect(page.get_by_test_id("stMain").locator("h1, h2").first).to_have_text(heading, timeout=TIMEOUT)
    settle(page)


def expect_only_title(page: Page, title, text: str) -> None:
    """Plotly draws the new title before it drops the old one: wait until only the new is left."""
    expect(title.filter(has_text=text)).to_have_count(1, timeout=TIMEOUT)
    settle(page)
    expect(title).to_have_count(1, timeout=TIMEOUT)


def options(page: Page):
    return page.locator("[role=option]:visible")


def pick_other(page: Page, key: str) -> str:
    """Open the selectbox keyed `key` and choose the first option that is not the current one."""
    box = page.locator(f".st-key-{key} input[role=combobox]")
    current = box.input_value()
    box.click()
    expect(options(page).first).to_be_visible(timeout=TIMEOUT)
    texts = options(page).all_inner_texts()
    choice = next(x for x in texts if x.strip() != current.strip())
    options(page).filter(has_text=re.compile(rf"^{re.escape(choice.strip())}$")).first.click()
    return choice.strip()


def add_to_multiselect(page: Page, key: str, label: str) -> None:
    box = page.locator(f".st-key-{key} input[role=combobox]")
    box.click()
    box.fill(label.split(" · ")[-1])
    options(page).filter(has_text=re.compile(rf"^{re.escape(label)}$")).first.click()
    box.press("Escape")


def full_screenshot(page: Page, name: str, folder: Path = SHOTS) -> Path:
    """Streamlit scrolls inside stMain: grow the viewport to its height, shoot, shrink back."""
    folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 1400, "height": 900}
    height = page.evaluate(
        """() => Math.max(
            document.querySelector('[data-testid=stMain]')?.scrollHeight || 0,
            document.querySelector('[data-testid=stSidebarContent]')?.scrollHeight || 0,
            document.body.scrollHeight)"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(int(height), size["height"]), 12_000)})
    # Fonts loaded and two frames painted after the resize (plotly redraws at the new width).
    page.evaluate(
        "() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))"
    )
    settle(page)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


class Problems:
    """Console errors, uncaught page errors and failed requests seen during a test."""

    def __init__(self, page: Page):
        self.items: list[str] = []
        page.on("pageerror", lambda exc: self.items.append(f"pageerror: {exc}"))
        page.on("crash", lambda _: self.items.append("page crashed"))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, msg) -> None:
        # "Failed to load resource" duplicates a response, judged in _response.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.items.append(f"console: {msg.text[:300]}")

    def _response(self, resp) -> None:
        if resp.status >= 400 and not (resp.status == 404 and BENIGN_404.search(urlparse(resp.url).path)):
            self.items.append(f"HTTP {resp.status} {resp.url}")


def name_of(frame, key_col: str, key: str, lang: str = "zh") -> str:
    row = frame[frame[key_col] == key].iloc[0]
    return str(row[f"name_{lang}"])


# --- tests ---------------------------------------------------------------------------------


def test_every_page_filters_url_language_and_screenshots(page: Page, dashboard_server: str, corpus_build):
    tables = corpus_build.tables
    obs, regions, indicators, sources = (tables[k] for k in ("observations", "regions", "indicators", "sources"))
    problems = Problems(page)

    # Overview: headline cards; the region filter narrows them and lands in the URL.
    page.goto(f"{dashboard_server}/")
    metric_labels = page.get_by_test_id("stMetricLabel")
    expect(metric_labels.first).to_be_visible(timeout=TIMEOUT)
    settle(page)
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text(t("app.title", "zh"))
    assert params(page.url).get("lang") == ["zh"]
    full_screenshot(page, "01-overview-zh")
    n_cards = metric_labels.count()
    east = name_of(regions, "region_id", "east")
    add_to_multiselect(page, "regions", f"{t('level.macro_region', 'zh')} · {east}")
    assert wait_param(page, "regions", lambda v: v == ["east"]) == ["east"]
    expect(metric_labels.first).to_contain_text(east, timeout=TIMEOUT)
    settle(page)
    labels = metric_labels.all_inner_texts()
    assert 0 < len(labels) < n_cards and all(east in x for x in labels), labels
    page.locator('.st-key-regions [aria-label="Clear all"]').click()
    wait_param(page, "regions", lambda v: v is None)
    expect(metric_labels).to_have_count(n_cards, timeout=TIMEOUT)
    settle(page)

    # Compare regions: another year redraws the chart with that year in its title.
    open_page(page, "compare", t("nav.compare", "zh"))
    title = page.locator(".st-key-compare_chart .gtitle")
    indicator = params(page.url)["indicator"][0]
    expect_only_title(page, title, name_of(indicators, "indicator_id", indicator))
    full_screenshot(page, "02-compare-zh")
    before = params(page.url)["year"]
    year = pick_other(page, "year")
    assert wait_param(page, "year", lambda v: v not in (None, before)) == [year]
    expect_only_title(page, title, f"· {year}")
    assert params(page.url)["indicator"] == [indicator]

    # Trends: another indicator; the title names the indicator now in the URL.
    open_page(page, "trends", t("nav.trends", "zh"))
    title = page.locator(".st-key-trend_chart .gtitle")
    expect(title.first).to_be_visible(timeout=TIMEOUT)
    settle(page)
    full_screenshot(page, "03-trends-zh")
    before = params(page.url)["indicator"]
    pick_other(page, "indicator")
    new = wait_param(page, "indicator", lambda v: v not in (None, before))[0]
    expect_only_title(page, title, name_of(indicators, "indicator_id", new))

    # Regions up close: another region; its name appears in the view.
    open_page(page, "region", t("nav.region", "zh"))
    full_screenshot(page, "04-region-zh")
    before = params(page.url)["region"]
    pick_other(page, "region")
    new = wait_param(page, "region", lambda v: v not in (None, before))[0]
    expect(page.locator(".st-key-region input[role=combobox]")).to_have_value(
        re.compile(re.escape(name_of(regions, "region_id", new))), timeout=TIMEOUT
    )
    if (obs["region_id"] == new).any():
        expect(page.get_by_test_id("stMain")).to_contain_text(name_of(regions, "region_id", new), timeout=TIMEOUT)
    settle(page)

    # Sources: another source; its bibliography follows.
    open_page(page, "sources", t("nav.sources", "zh"))
    full_screenshot(page, "05-sources-zh")
    before = params(page.url)["source"]
    pick_other(page, "source")
    new = wait_param(page, "source", lambda v: v not in (None, before))[0]
    expect(page.get_by_test_id("stMain")).to_contain_text(
        str(sources.loc[sources["source_id"] == new, "title"].iloc[0]), timeout=TIMEOUT
    )
    settle(page)

    # Data: the table and its downloads (the bytes are checked in the next test).
    open_page(page, "data", t("nav.data", "zh"))
    expect(page.get_by_text(t("data.rows", "zh", n=f"{len(obs):,}"))).to_be_visible(timeout=TIMEOUT)
    full_screenshot(page, "06-data-zh")

    # Quality: move the end of the year range; the URL records the range.
    open_page(page, "quality", t("nav.quality", "zh"))
    full_screenshot(page, "07-quality-zh")
    lo, hi = int(obs["year"].min()), int(obs["year"].max())
    end = page.locator(".st-key-years input[type=range]").last
    end.focus()
    end.press("ArrowLeft")
    assert wait_param(page, "years", lambda v: v is not None) == [f"{lo}-{hi - 1}"]
    expect(end).to_have_value(str(hi - 1))
    settle(page)

    # English: labels switch, the URL says so, the filters survive.
    page.locator(".st-key-lang [data-testid=stRadioOption]").filter(has_text="English").click()
    wait_param(page, "lang", lambda v: v == ["en"])
    expect(page.get_by_test_id("stSidebar")).to_contain_text(t("sidebar.regions", "en"), timeout=TIMEOUT)
    expect(page.get_by_test_id("stMain").locator("h2").first).to_have_text(t("nav.quality", "en"))
    settle(page)
    assert params(page.url)["years"] == [f"{lo}-{hi - 1}"]
    full_screenshot(page, "08-quality-en")
    open_page(page, "compare", t("nav.compare", "en"))
    title = page.locator(".st-key-compare_chart .gtitle")
    indicator = params(page.url)["indicator"][0]
    expect_only_title(page, title, name_of(indicators, "indicator_id", indicator, "en"))
    full_screenshot(page, "09-compare-en")
    open_page(page, "overview", t("app.title", "en"))
    expect(page.get_by_test_id("stMetricLabel").first).to_be_visible(timeout=TIMEOUT)
    full_screenshot(page, "10-overview-en")

    assert problems.items == []


def test_data_page_csv_download_matches_the_filter(page: Page, dashboard_server: str, corpus_build):
    tables = corpus_build.tables
    obs, indicators = tables["observations"], tables["indicators"]
    problems = Problems(page)
    indicator = "rd_intensity_pct" if (obs["indicator_id"] == "rd_intensity_pct").any() else obs["indicator_id"].iloc[0]
    expected = obs[obs["indicator_id"] == indicator]
    info = indicators[indicators["indicator_id"] == indicator].iloc[0]

    page.goto(f"{dashboard_server}/data")
    expect(page.get_by_text(t("data.rows", "zh", n=f"{len(obs):,}"))).to_be_visible(timeout=TIMEOUT)
    settle(page)
    add_to_multiselect(page, "indicators", f"{t('topic.' + info['topic'], 'zh')} · {info['name_zh']}")
    assert wait_param(page, "indicators", lambda v: v is not None) == [indicator]
    shown = t("data.rows", "zh", n=f"{len(expected):,}")
    expect(page.get_by_test_id("stCaptionContainer").filter(has_text=shown)).to_be_visible(timeout=TIMEOUT)
    settle(page)

    with page.expect_download(timeout=TIMEOUT) as info_dl:
        page.locator(".st-key-download_csv_full button").click()  # the contract columns
    download = info_dl.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(f"{len(expected)}rows-full.csv")
    raw = Path(download.path()).read_bytes()

    assert raw.startswith(BOM)
    text = raw[len(BOM) :].decode("utf-8")  # strict: must be UTF-8
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    header = rows[0].keys() if rows else []
    for col in ("indicator_zh", "region_zh", "quote", "char_start", "char_end", "source_title", "source_url"):
        assert col in header, col
    assert len(rows) == len(expected), "the CSV holds exactly the rows the page counts"
    assert {r["observation_id"] for r in rows} == set(expected["observation_id"])
    by_id = expected.set_index("observation_id")
    for r in rows:
        want = by_id.loc[r["observation_id"]]
        assert r["indicator_zh"] == info["name_zh"]
        # A quote starting like a formula is made inert with a leading apostrophe.
        assert r["quote"] in (want["quote"], "'" + want["quote"])
        assert re.search(r"[\u4e00-\u9fff]", r["quote"]), "quotes are Chinese text, intact"
        assert (int(r["char_start"]), int(r["char_end"])) == (int(want["char_start"]), int(want["char_end"]))
        assert r["source_title"]
    assert problems.items == []


# --- every page, both languages, two widths: screenshots and chart checks ----------------

# Every chart's traces as plotly holds them in the page (meta and customdata are what
# guard.measures_of reads), and the boxes of its citation footer and x tick labels.
CHARTS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => {
    const svg = gd.querySelector('svg.main-svg').getBoundingClientRect();
    const foot = Array.from(gd.querySelectorAll('.annotation')).map(a => a.getBoundingClientRect())
        .sort((a, b) => b.bottom - a.bottom)[0];
    const ticks = Array.from(gd.querySelectorAll('.xtick text')).map(e => e.getBoundingClientRect());
    const box = r => r && {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
    return {
        data: gd.data.map(tr => ({meta: tr.meta, customdata: tr.customdata})),
        svg: box(svg), foot: box(foot), ticks: ticks.map(box),
    };
})"""
SHOT_DIR_ENV = "DASHBOARD_SCREENSHOT_DIR"
CHART_PAGES = {"compare", "trends"}  # pages whose default view draws a chart


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def check_charts(page: Page, where: str) -> int:
    """Every chart draws one indicator in one unit, and its citation footer is inside the
    image and clear of the axis labels. Returns the number of charts."""
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('[data-testid=stPlotlyChart]'))
            .every(c => c.querySelector('.js-plotly-plot .main-svg'))""",
        timeout=TIMEOUT,
    )
    found = page.evaluate(CHARTS_JS)
    for i, chart in enumerate(found):
        measures = guard.measures_of({"data": chart["data"]})
        assert len(measures) <= 1, (where, i, measures)
        foot, svg = chart["foot"], chart["svg"]
        if foot:
            assert foot["bottom"] <= svg["bottom"] + 1, (where, i, "footer cut off", foot, svg)
            assert not any(_overlap(foot, tick) for tick in chart["ticks"] if tick), (where, i, "footer overlaps")
    return len(found)


@pytest.mark.parametrize("width", [1280, 1920])
def test_every_page_in_both_languages_by_its_own_url(page: Page, dashboard_server: str, width: int, tmp_path_factory):
    """Each page opened by its own address (/overview too), in Chinese and English, at
    1280 and 1920 px: no error, a full-page screenshot for a person to look at, and the
    chart checks above. Screenshots go to $DASHBOARD_SCREENSHOT_DIR or a temp folder."""
    shots = Path(os.environ.get(SHOT_DIR_ENV) or tmp_path_factory.mktemp("shots"))
    shots.mkdir(parents=True, exist_ok=True)
    problems = Problems(page)
    page.set_viewport_size({"width": width, "height": 900})
    n_charts = 0
    for lang in ("zh", "en"):
        for i, (_file, url_path, label, _icon) in enumerate(PAGE_SPECS):
            page.goto(f"{dashboard_server}/{url_path}?lang={lang}")
            page.wait_for_url(lambda url, p=url_path: urlparse(url).path == f"/{p}", timeout=TIMEOUT)
            heading = page.get_by_test_id("stMain").locator("h1, h2").first
            expect(heading).to_have_text(t("app.title", lang) if i == 0 else t(label, lang), timeout=TIMEOUT)
            settle(page)
            expect(page.get_by_text("Page not found")).to_have_count(0)
            if url_path in CHART_PAGES:  # plotly draws after the script run has finished
                expect(page.locator("[data-testid=stPlotlyChart] .main-svg").first).to_be_visible(timeout=TIMEOUT)
            page.evaluate("() => document.fonts.ready")
            n_charts += check_charts(page, f"{url_path} {lang} {width}")
            full_screenshot(page, f"{i + 1:02d}-{url_path}-{lang}-{width}", shots)
    assert n_charts >= 4  # compare and trends in both languages at least
    assert problems.items == []
