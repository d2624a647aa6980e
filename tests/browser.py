"""The HTML handout as a phone's or a desktop's browser shows it: headless Chromium through Selenium.

`chromium()` starts Debian's Chromium with its chromedriver (/usr/bin/chromium, /usr/bin/chromedriver,
installed by .ci/run) or skips the calling test with the reason. `Browser.visit(path, size)` opens a
file at a screen size and returns a `Visit`: what the page measures, its rendered text, every
request it made while loading, and axe-core's accessibility violations. The `*_problems` functions
turn a visit into a list of sentences, one per fault, empty when the page is fine; tests/test_browser.py
asserts on them.

The phone screenshot in the docs comes from the same code:

    .venv/bin/python tests/browser.py                      # writes docs/handout-phone.png
    .venv/bin/python tests/browser.py programs/X.prog -o shot.png [--template-dir CLINIC]
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = "axe-core@4"
SCREENSHOT = ROOT / "docs" / "handout-phone.png"
SCREENSHOT_PROGRAM = ROOT / "programs" / "glutes_sore_back.prog"
SCREENSHOT_ANCHORS = ("", "#phase-1", "#exercise-1")  # the first screen, the plan, a card

# Root needs --no-sandbox. Without the background-networking flags Chromium phones home for
# updates, safe-browsing lists and field trials, which this machine's closed network refuses
# and which would stand in the network log beside the page's own requests.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
)


@dataclass(frozen=True)
class Size:
    name: str
    width: int
    height: int
    scale: float  # device pixels per CSS pixel
    mobile: bool  # a phone: the viewport meta tag counts, touch events, no scrollbars

    def __str__(self) -> str:
        return f"{self.name} {self.width}×{self.height}"


PHONE = Size("phone", 390, 844, 3, mobile=True)
DESKTOP = Size("desktop", 1280, 800, 1, mobile=False)
SIZES = (PHONE, DESKTOP)


@dataclass
class Visit:
    """What one page showed at one size."""

    url: str
    size: Size
    inner_width: int  # the layout viewport, to check the emulated size took
    scroll_width: int  # document.documentElement.scrollWidth
    widest: list[str]  # the elements that reach past the viewport's right edge, widest first
    figures: list[dict[str, Any]]  # every <img> and inline <svg> in the page
    cards: dict[str, list[int]]  # an exercise card's heading → the indices of its figures
    text: str  # document.body.innerText, whitespace made single spaces
    requests: list[str]  # URLs asked for while loading, the page's own and data: URIs left out
    violations: list[dict[str, Any]] = field(default_factory=list)  # axe-core's, every impact


# Measures the page: runs in the browser, returns JSON-able values.
MEASURE = r"""
const view = document.documentElement.clientWidth;
const describe = (el) => {
  let name = el.tagName.toLowerCase();
  if (el.id) name += '#' + el.id;
  if (el.classList.length) name += '.' + [...el.classList].join('.');
  return name;
};
const widest = [...document.body.querySelectorAll('*')]
  .map((el) => [el, el.getBoundingClientRect().right])
  .filter(([, right]) => right > view + 0.5)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 5)
  .map(([el, right]) => `${describe(el)} reaches ${Math.round(right)}px`);
const figures = [...document.querySelectorAll('img, svg')]
  .filter((el) => !(el.tagName.toLowerCase() === 'svg' && el.closest('img, svg:not(:scope)')))
  .map((el) => {
    const rect = el.getBoundingClientRect();
    const svg = el.tagName.toLowerCase() === 'svg';
    const title = svg ? el.querySelector(':scope > title') : null;
    return {
      tag: el.tagName.toLowerCase(),
      alt: svg ? (el.getAttribute('aria-label') || (title && title.textContent) || '') : el.getAttribute('alt'),
      role: el.getAttribute('role'),
      hidden: el.getAttribute('aria-hidden') === 'true',
      width: rect.width,
      height: rect.height,
      loaded: svg ? true : (el.complete && el.naturalWidth > 0),
      visible: el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}),
      card: el.closest('article') ? (el.closest('article').querySelector('h3') || {}).textContent || '' : '',
    };
  });
return {
  innerWidth: view,
  scrollWidth: document.documentElement.scrollWidth,
  widest,
  figures,
  text: document.body.innerText,
};
"""

RUN_AXE = r"""
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then((result) => done(result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
  }))))
  .catch((error) => done([{id: 'axe-error', impact: 'critical', help: String(error), nodes: []}]));
"""


def chromium() -> Browser:
    """A headless Chromium to drive; skips the calling test when it or its driver is missing."""
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("Selenium is not installed (pip install -e '.[test]')")
    for tool, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not tool.is_file():
            pytest.skip(f"{tool} is missing: install Debian's `{package}` (.ci/run does, as root)")
    profile = tempfile.mkdtemp(prefix="progdsl-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={DESKTOP.width},{DESKTOP.height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for a driver online
    try:
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    except WebDriverException as exc:
        shutil.rmtree(profile, ignore_errors=True)
        pytest.skip(f"Chromium would not start: {exc.msg or exc}".splitlines()[0])
    driver.set_script_timeout(120)
    driver.set_page_load_timeout(60)
    # Chromium opens on its new-tab page, whose own chrome:// files would stand in the log of the
    # first page visited: leave it for an empty page first.
    driver.get("about:blank")
    driver.get_log("performance")
    return Browser(driver, Path(profile))


class Browser:
    def __init__(self, driver: Any, profile: Path) -> None:
        self.driver = driver
        self.profile = profile
        self._axe: str | None = None

    def close(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

    def resize(self, size: Size) -> None:
        """Emulate the screen: its CSS pixels, its pixel density, and for a phone its viewport handling."""
        metrics = {"width": size.width, "height": size.height, "deviceScaleFactor": size.scale, "mobile": size.mobile}
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        self.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": size.mobile})

    def visit(self, path: Path, size: Size, axe: Path | None = None) -> Visit:
        """Open `path` at `size`: measure it, note its requests, and run axe-core when given its file."""
        self.resize(size)
        self.driver.get_log("performance")  # drop what earlier pages left
        url = path.resolve().as_uri()
        self.driver.get(url)
        requests = [request for request in self._requests() if request != url and not request.startswith("data:")]
        measured = self.driver.execute_script(MEASURE)
        cards: dict[str, list[int]] = {}
        for index, figure in enumerate(measured["figures"]):
            if figure["card"]:
                cards.setdefault(" ".join(figure["card"].split()), []).append(index)
        visit = Visit(
            url=url,
            size=size,
            inner_width=measured["innerWidth"],
            scroll_width=measured["scrollWidth"],
            widest=measured["widest"],
            figures=measured["figures"],
            cards=cards,
            text=" ".join(measured["text"].split()),
            requests=requests,
        )
        if axe is not None:
            if self._axe is None:
                self._axe = axe.read_text(encoding="utf-8")
            self.driver.execute_script(self._axe)
            visit.violations = self.driver.execute_async_script(RUN_AXE)
        return visit

    def _requests(self) -> list[str]:
        """Every URL the page asked for since the log was last read (Chromium's DevTools events)."""
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def screenshot(self, path: Path, size: Size, out: Path, anchors: tuple[str, ...] = ("",)) -> None:
        """Screens of `path` at `size` side by side in one PNG: the first screen for the anchor "",
        and for each other anchor (`#exercise-1`) the screen that starts at that element."""
        from PIL import Image

        self.resize(size)
        self.driver.get(path.resolve().as_uri())
        screens = []
        for anchor in anchors:
            self.driver.execute_script(
                "const el = arguments[0] && document.querySelector(arguments[0]);"
                "window.scrollTo(0, el ? el.getBoundingClientRect().top + window.scrollY - 8 : 0);",
                anchor,
            )
            screens.append(Image.open(io.BytesIO(self.driver.get_screenshot_as_png())).convert("RGB"))
        gap = round(16 * size.scale)
        width = sum(screen.width for screen in screens) + gap * (len(screens) - 1)
        sheet = Image.new("RGB", (width, max(screen.height for screen in screens)), "#5f6b70")
        left = 0
        for screen in screens:
            sheet.paste(screen, (left, 0))
            left += screen.width + gap
        sheet.quantize(256).save(out, optimize=True)  # a third of the size, no visible change


# ---- the checks: each returns the faults it finds, as sentences ----------------------


def overflow_problems(visit: Visit) -> list[str]:
    if visit.inner_width != visit.size.width:
        return [f"the viewport is {visit.inner_width}px wide, not {visit.size.width}px: the screen size did not take"]
    if visit.scroll_width <= visit.size.width:
        return []
    return [f"the page is {visit.scroll_width}px wide on a {visit.size.width}px screen: " + "; ".join(visit.widest)]


def figure_problems(visit: Visit, names_with_figures: list[str]) -> list[str]:
    """Every exercise named has a figure on its card; every picture in the page is shown and described."""
    problems = [f"the card of {name} has no figure" for name in names_with_figures if name not in visit.cards]
    for figure in visit.figures:
        where = f"the {figure['tag']} on the card of {figure['card']}" if figure["card"] else f"a {figure['tag']}"
        if figure["hidden"]:
            continue  # decoration, hidden from screen readers on purpose
        if not (figure["alt"] or "").strip():
            problems.append(f"{where} has no text alternative")
        if figure["tag"] == "svg" and figure["role"] != "img":
            problems.append(f"{where} lacks role=img")
        if not figure["visible"] or figure["width"] < 1 or figure["height"] < 1:
            problems.append(f"{where} is not visible: {figure['width']:.0f}×{figure['height']:.0f}px")
        elif not figure["loaded"]:
            problems.append(f"{where} did not load")
    return problems


def text_problems(visit: Visit, expected: list[str]) -> list[str]:
    """Each expected phrase (a dose, an instruction) in the text the browser renders."""
    return [
        f"not shown: {phrase!r}" for phrase in dict.fromkeys(expected) if " ".join(phrase.split()) not in visit.text
    ]


def request_problems(visit: Visit) -> list[str]:
    return [f"the page asked for {url}" for url in visit.requests]


def accessibility_problems(visit: Visit) -> list[str]:
    return [
        f"{v['impact']} {v['id']}: {v['help']} ({', '.join(v['nodes'])})"
        for v in visit.violations
        if v["impact"] in ("serious", "critical")
    ]


# ---- what the plan and the registry say the page must show ---------------------------


def expected_phrases(plan: Any) -> list[str]:
    """The first day's dose of every exercise line, in the handout's words, and each exercise's first step."""
    from progdsl.wording import describe_dose_in_words

    first: dict[tuple[int, int, int], Any] = {}
    for planned in plan.sessions:
        for dose in planned.exercises:
            first.setdefault((planned.phase_index, planned.session_index, dose.line), dose)
    doses = [describe_dose_in_words(dose) for dose in first.values()]
    return doses + [exercise.instructions[0] for exercise in plan.exercises if exercise.instructions]


def names_with_figures(plan: Any) -> list[str]:
    """The exercises whose registry entry has a picture (drawn from its pose, or the clinic's own)."""
    from progdsl.backends.handout import exercise_picture

    return [exercise.name for exercise in plan.exercises if exercise_picture(exercise)]


def write_handout(program: Path, folder: Path, templates: Path | None = None) -> tuple[Path, Any]:
    """`progdsl build --to html [--template-dir DIR]` of one program, without the command line:
    the file and its plan."""
    from progdsl import load
    from progdsl.backends import RenderOptions
    from progdsl.backends.html import HtmlBackend
    from progdsl.plan import build_plan

    result = load(program)
    assert result.ok, [str(d) for d in result.errors]
    plan = build_plan(result.program)
    out = folder / f"{program.stem}.html"
    options = RenderOptions({"template": str(templates)} if templates else {})
    out.write_bytes(HtmlBackend().render(plan, options))
    return out, plan


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Screenshot a program's HTML handout as a phone shows it.")
    parser.add_argument("program", nargs="?", type=Path, default=SCREENSHOT_PROGRAM)
    parser.add_argument("-o", "--out", type=Path, default=SCREENSHOT)
    parser.add_argument("--template-dir", type=Path, help="a clinic's template folder, as for progdsl build")
    parser.add_argument("--scale", type=float, default=2, help="device pixels per CSS pixel (default 2)")
    args = parser.parse_args(argv)
    try:
        browser = chromium()
    except pytest.skip.Exception as skipped:
        print(f"no browser: {skipped.msg}", file=sys.stderr)
        return 1
    try:
        with tempfile.TemporaryDirectory() as folder:
            page, _ = write_handout(args.program, Path(folder), args.template_dir)
            size = Size(PHONE.name, PHONE.width, PHONE.height, args.scale, mobile=True)
            browser.screenshot(page, size, args.out, SCREENSHOT_ANCHORS)
    finally:
        browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
