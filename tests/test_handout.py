"""The printable handout: its content, escaping, PDF output, fonts, template overrides and safety."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import http.server
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from html.parser import HTMLParser

import jinja2
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from support import LANGUAGE_EXAMPLE, PROGRAMS, ROOT

from progdsl import loads
from progdsl.backends import RenderOptions
from progdsl.backends.fonts import MissingFont, _printable, suggested_font
from progdsl.backends.handout import HandoutError, Variant, build_handout
from progdsl.backends.html import HtmlBackend
from progdsl.backends.pdf import PdfBackend
from progdsl.plan import build_plan
from progdsl.rules import catalog
from progdsl.settings import SETTINGS

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def plan_of(text: str, name: str = "handout.prog"):
    result = loads(text, name)
    assert result.ok, result.diagnostics
    return build_plan(result.program)


def html_of(text: str, name: str = "handout.prog", **overrides) -> str:
    return HtmlBackend().render(plan_of(text, name), RenderOptions(overrides)).decode("utf-8")


def pdf_of(text: str, name: str = "handout.prog", **overrides) -> bytes:
    return PdfBackend().render(plan_of(text, name), RenderOptions(overrides))


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, with runs of whitespace made single spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def squeeze(text: str) -> str:
    """The text without its whitespace: pypdf puts spaces where a font kerns ("T uck", "body .")."""
    return "".join(text.split())


def visible_text(html: str) -> str:
    """The HTML's text, unescaped, with whitespace made single spaces (styles dropped)."""
    body = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture(scope="module")
def example_pdf() -> bytes:
    return pdf_of(LANGUAGE_EXAMPLE)


# ---- content --------------------------------------------------------------------


def test_html_shows_doses_in_words_dates_and_the_build_up():
    text = visible_text(html_of(LANGUAGE_EXAMPLE))
    assert "Mon 7 Dec 2026 – Sun 17 Jan 2027" in text
    assert "3 sets of 8 · rest 30–60 s between sets" in text  # clam shell on its first day
    assert "Builds up from 8 to 12 repetitions a set, reaching 12 on Sat 19 Dec:" in text
    assert "3 holds of 45–60 seconds, each side" in text
    assert "3 sets of 10–15 · green band · rest 60 s between sets" in text
    assert "3 sets of 8, each side · hold each repetition 3 s" in text
    assert "4 days a week: Mon, Wed, Fri, Sun · at 18:00" in text
    assert "Every Mon, Wed, Fri · at 07:30" in text


def test_progression_table_follows_the_plan_day_by_day():
    handout = build_handout(plan_of(LANGUAGE_EXAMPLE))
    clam = handout.phases[0].sessions[0].rows[0]
    assert clam.name == "Clam shell"
    table = clam.progression
    assert table.columns == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    assert [row.amounts for row in table.rows] == [
        ("8", "8", "9", "9", "9", "10", "10"),
        ("10", "10", "11", "11", "11", "12", "12"),
    ]
    plank = handout.phases[1].sessions[0].rows[-1]
    assert plank.progression.columns == ("Mon", "Wed", "Fri")
    assert plank.progression.start == "20" and plank.progression.end == "30"
    assert [row.week for row in plank.progression.rows] == [3, 4, 5, 6]


def test_card_lists_steps_cautions_variants_and_the_line_note():
    text = html_of(
        LANGUAGE_EXAMPLE.replace(
            "figure_four_stretch 3x45-60s each side",
            'figure_four_stretch 3x45-60s each side note "Use a sturdy chair."',
        )
    )
    handout = build_handout(plan_of(LANGUAGE_EXAMPLE))
    bird_dog = next(c for c in handout.cards if c.exercise_id == "bird_dog")
    assert len(bird_dog.instructions) >= 3
    assert html_lib.escape(bird_dog.instructions[0]) in text
    assert html_lib.escape(bird_dog.cautions[0]) in text
    assert "Use a sturdy chair." in text


WITH_KNEE_PLANK = LANGUAGE_EXAMPLE.replace(
    "    plank 3x20s progress to 30s over 4w\n", "    plank 3x20s progress to 30s over 4w\n    knee_plank 3x20s\n"
)


def test_a_card_names_only_the_versions_the_handout_explains_with_their_cards():
    """Plank's easier version (knee plank) has a card here; its harder one (side plank) has not,
    and a client cannot do an exercise from its name alone."""
    handout = build_handout(plan_of(WITH_KNEE_PLANK))
    cards = {card.exercise_id: card for card in handout.cards}
    assert cards["plank"].easier == (Variant(cards["knee_plank"].number, "Plank on knees"),)
    assert cards["plank"].harder == () and cards["clam_shell"].harder == ()  # side plank; leg raise, fire hydrant
    text = html_of(WITH_KNEE_PLANK)
    number = cards["knee_plank"].number
    assert f'<a class="card-ref" href="#exercise-{number}">{number}</a> Plank on knees' in text
    assert "Side plank" not in text and "Fire hydrant" not in text


@pytest.mark.slow
def test_a_cards_versions_read_after_its_steps_and_before_its_cautions(tmp_path):
    handout = build_handout(plan_of(WITH_KNEE_PLANK))
    plank = next(card for card in handout.cards if card.exercise_id == "plank")
    texts = extracted_texts(pdf_of(WITH_KNEE_PLANK), tmp_path)
    for tool, text in texts.items():
        cards = text[text.index("How to do each exercise") :]
        order = [plank.name, plank.instructions[-1], "Easier:", "Plank on knees", "TAKE CARE", plank.cautions[0]]
        assert_in_order(cards, order, f"{tool}, the plank's card")


def test_the_log_is_the_schedule_a_row_per_week_and_a_tick_box_per_session():
    plan = plan_of(LANGUAGE_EXAMPLE)
    handout = build_handout(plan)
    assert len(handout.log) == 6
    days = [day for week in handout.log for day in week.days]
    assert [day.date for day in days if day.sessions] == sorted({s.date for s in plan.sessions})
    assert [mark.name for mark in days[0].sessions] == ["Daily activation", "Stretch"]
    html = html_of(LANGUAGE_EXAMPLE)
    assert html.count('<span class="tick">') == sum(len(day.sessions) for day in days)
    assert html.count('class="entry-box"') == sum(1 for day in days if day.sessions)  # the pain score


def test_each_exercise_has_one_card_however_many_phases_use_it():
    text = """program "Twice"
phase "One" 1w:
  session "Morning" daily:
    glute_bridge 3x10
    clam_shell 3x10 each side
phase "Two" 1w:
  session "Morning" daily:
    glute_bridge 3x12
    dead_bug 3x8 each side
"""
    handout = build_handout(plan_of(text))
    assert [(card.number, card.exercise_id, card.phases) for card in handout.cards] == [
        (1, "glute_bridge", (1, 2)),
        (2, "clam_shell", (1,)),
        (3, "dead_bug", (2,)),
    ]
    assert [row.card for phase in handout.phases for row in phase.sessions[0].rows] == [1, 2, 1, 3]
    html = html_of(text)
    assert html.count('<article class="card"') == 3
    assert html.count('<figure class="figure">') == 3  # each of the three has pose data


def test_a_figure_prints_beside_the_steps_when_there_is_one():
    from progdsl.backends.handout import build_handout as build
    from progdsl.backends.html import environment, template_folders

    plan = plan_of(SAME_EXERCISE_IN_TWO_PHASES)
    handout = build(plan, {"glute_bridge": "data:image/svg+xml;base64,PHN2Zy8+"})
    assert handout.cards[0].figure == "data:image/svg+xml;base64,PHN2Zy8+"
    page = environment(template_folders(plan, RenderOptions())).get_template("handout.html")
    html = page.render(handout=handout, page_size="A4", large_print=False)
    assert re.search(
        r'<figure class="figure">\s*<img src="data:image/svg\+xml;base64,PHN2Zy8\+" '
        r'alt="Glute bridge, starting lying on your back">',
        html,
    )


def registry_entry(exercise_id: str):
    from progdsl.registry import builtin_registry

    return next(exercise for exercise in builtin_registry() if exercise.id == exercise_id)


def test_each_card_shows_the_figure_drawn_from_its_pose_data_and_none_without(monkeypatch):
    import base64

    from progdsl.backends import handout
    from progdsl.figures import render_table

    # Every built-in exercise has pose data; a clinic's entry may have none (exercise_picture
    # then gives None, as the next test shows): glute_bridge stands in for one here.
    drawn = handout.exercise_picture
    monkeypatch.setattr(handout, "exercise_picture", lambda e: None if e.id == "glute_bridge" else drawn(e))
    text = (
        'program "Figures"\nphase "One" 1w:\n  session daily:\n    clam_shell 3x10 each side\n    glute_bridge 2x10\n'
    )
    clam, other = build_handout(plan_of(text)).cards
    svg = render_table(registry_entry("clam_shell").figure)
    assert clam.figure == "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    assert (clam.figure_alt, clam.credit) == ("Clam shell, starting lying on your side", None)
    assert other.figure is None
    html = html_of(text)
    assert html.count("<img ") == 1 and 'alt="Clam shell, starting lying on your side"' in html
    assert 'class="card-body no-figure"' in html  # the other's steps take the card's width
    assert html_of(text) == html  # the same input, the same bytes


def test_a_clinic_picture_prints_instead_of_the_figure_with_its_credit(tmp_path):
    import base64

    from progdsl.backends.handout import exercise_picture
    from progdsl.backends.html import environment, template_folders
    from progdsl.records import replace

    picture = tmp_path / "clam.svg"
    picture.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"/>')
    clinic = replace(registry_entry("clam_shell"), image=str(picture), credit="Drawn by the clinic, CC BY 4.0")
    uri, credit = exercise_picture(clinic)
    assert uri == "data:image/svg+xml;base64," + base64.b64encode(picture.read_bytes()).decode("ascii")
    assert credit == "Drawn by the clinic, CC BY 4.0"
    picture.unlink()  # gone after the registry was checked: the drawn figure, never a failed build
    assert exercise_picture(clinic)[0].startswith("data:image/svg+xml;base64,") and exercise_picture(clinic)[1] is None
    assert exercise_picture(replace(clinic, image=None, figure={"base": "no such base"})) is None
    assert exercise_picture(replace(clinic, image=None, figure=None)) is None

    plan = plan_of('program "P"\nphase "One" 1w:\n  session daily:\n    clam_shell 3x10 each side\n')
    handout = build_handout(plan)
    card = replace(handout.cards[0], figure=uri, credit=credit)
    page = environment(template_folders(plan, RenderOptions())).get_template("handout.html")
    html = page.render(handout=replace(handout, cards=(card,)), page_size="A4", large_print=False)
    assert '<figcaption class="credit">Drawn by the clinic, CC BY 4.0</figcaption>' in html


@pytest.mark.slow
def test_figures_print_as_vector_art_and_the_pdf_is_the_same_each_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    text = (PROGRAMS / "glutes_sore_back.prog").read_text(encoding="utf-8")
    first = pdf_of(text, "glutes_sore_back.prog")
    assert pdf_of(text, "glutes_sore_back.prog") == first
    images = [
        name
        for page in PdfReader(io.BytesIO(first)).pages
        for name, xobject in (page["/Resources"].get("/XObject") or {}).items()
        if xobject.get_object().get("/Subtype") == "/Image"
    ]
    assert images == []  # the figures are drawn as paths, not pictures made of pixels


def test_the_cover_says_what_a_day_looks_like_and_how_long_it_takes():
    text = visible_text(html_of(LANGUAGE_EXAMPLE))
    assert "sessions a week" not in text
    handout = build_handout(plan_of(LANGUAGE_EXAMPLE))
    low, high = handout.minutes
    assert 5 <= low <= high <= 30 and low % 5 == 0 and high % 5 == 0
    assert not handout.every_day  # the strengthening phase rests on Tue, Thu, Sat and Sun
    assert f"Time it takes about {low}–{high} minutes on each exercise day" in text
    assert "Daily activation at 07:30: every day, 1 exercise, about 5 minutes" in text


def test_log_columns_default_to_pain_and_follow_the_programs_log_lines():
    from progdsl.backends.handout import LogColumn, log_columns

    plan = plan_of(LANGUAGE_EXAMPLE)
    assert log_columns(plan.program) == (LogColumn("Pain 0–10", "pain"),)
    logged = plan_of(LANGUAGE_EXAMPLE.replace("time 07:30\n", 'time 07:30\nlog falls\nlog pain\nlog "Steps walked"\n'))
    assert log_columns(logged.program) == (
        LogColumn("Falls", "falls"),
        LogColumn("Pain 0–10", "pain"),
        LogColumn("Steps walked", None),
    )
    text = visible_text(HtmlBackend().render(logged, RenderOptions()).decode())
    assert "how many times you fell" in text and "Steps walked" in text
    assert text.count("Falls") == sum(1 for week in build_handout(logged).log for day in week.days if day.sessions)


def test_band_colours_show_as_swatches():
    html = html_of(LANGUAGE_EXAMPLE)
    assert 'style="background-color: #f2c230"' in html  # yellow
    assert 'style="background-color: #3c9d4e"' in html  # green


ALLOWED = LANGUAGE_EXAMPLE.replace(
    "    plank 3x20s progress to 30s over 4w",
    '    plank 3x20s progress to 30s over 4w allow S301 "Supervised in clinic for the first week."',
).replace("time 07:30\n", 'time 07:30\nflags radiating_pain, numbness\ncleared "Dr Jo Ng, GP" 2026-12-01\n')


def summary_text(text: str) -> str:
    plan = plan_of(text)
    from progdsl.backends.html import render_html

    return visible_text(render_html(plan, RenderOptions(), audience="clinician"))


def test_the_clinician_summary_has_flags_clearance_allows_warnings_and_every_dose():
    text = summary_text(ALLOWED)
    assert "Findings recorded: Radiating pain, Numbness." in text
    assert "Cleared by Dr Jo Ng, GP on Tue 1 Dec 2026." in text
    assert "S301" in text and "Supervised in clinic for the first week." in text
    assert catalog().get("S301").summary in text
    for line in (13, 15, 18, 19, 20, 21):  # every exercise line, by its line in the file
        assert re.search(rf"\b{line + 2} \w", text), line
    assert "3 × 12, rest 30–60 s" in text and "8 → 12 over 2 weeks" in text


def test_the_summary_lists_the_safety_checks_warnings():
    from progdsl.backends.handout import build_summary

    warned = LANGUAGE_EXAMPLE.replace("clam_shell 3x12 rest 30-60s", "clam_shell 3x12 rest 5s")
    result = loads(warned, "w.prog")
    assert result.ok and result.warnings
    summary = build_summary(build_plan(result.program))
    assert {(f.code, f.line) for f in summary.findings} == {(d.code, d.span.line) for d in result.warnings}
    assert result.warnings[0].code in summary_text(warned)
    assert "`" not in summary_text(warned)  # the message's quoted names are set as code


def test_code_spans_sets_quoted_names_as_code_and_escapes_the_rest():
    from progdsl.backends.html import code_spans

    assert code_spans("`clam_shell`: 5 s & `<b>`") == "<code>clam_shell</code>: 5 s &amp; <code>&lt;b&gt;</code>"
    assert code_spans("an ` alone <i>") == "an ` alone &lt;i&gt;"


def test_the_summary_lists_the_warnings_it_is_given_without_checking_again(monkeypatch):
    import progdsl.rules
    from progdsl.backends.handout import build_summary
    from progdsl.diagnostics import warning
    from progdsl.source import Span

    plan = plan_of(LANGUAGE_EXAMPLE)
    monkeypatch.setattr(progdsl.rules, "check_program", lambda *args, **kwargs: pytest.fail("checked again"))
    given = (warning("S204", "a warning the build found", Span.point(13, 5)),)
    (finding,) = build_summary(plan, given).findings
    assert (finding.code, finding.message, finding.line) == ("S204", "a warning the build found", 13)
    assert build_summary(plan, ()).findings == ()


# Codes, source lines and the words of the program language stay out of the client's handout.
INTERNAL = re.compile(r"\b[SE]\d{3}\b|\bline \d|\ballow\b|Findings recorded|\bclam_shell\b")


@pytest.mark.parametrize("program", [*sorted(PROGRAMS.glob("*.prog")), None], ids=lambda p: p.stem if p else "allowed")
def test_the_client_handout_has_no_codes_source_lines_or_allow(program):
    text = program.read_text() if program else ALLOWED
    html = visible_text(html_of(text))
    assert not INTERNAL.search(html), INTERNAL.search(html)


@pytest.mark.slow
def test_the_client_pdf_has_no_codes_and_the_summary_pdf_has_them():
    from progdsl.backends.pdf import SummaryBackend

    plan = plan_of(ALLOWED)
    client = " ".join(pdf_pages(PdfBackend().render(plan, RenderOptions())))
    assert not INTERNAL.search(client), INTERNAL.search(client)
    clinician = " ".join(pdf_pages(SummaryBackend().render(plan, RenderOptions())))
    assert "S301" in clinician and "Radiating pain" in clinician and "line" in clinician.lower()


# ---- escaping ---------------------------------------------------------------------

HOSTILE = """program "Tom & Jerry's <script>alert(1)</script> \\"plan\\""
client "O'Brien <b>bold</b> & \\"Co\\""
clinician "Dr <i>Who</i>"
start 2026-12-07
equipment mat
caution "Stop if </style><script>x()</script>"
phase "Phase <1>" 1w:
  session "A & B" daily:
    clam_shell 3x12 each side note "<img src=x onerror=alert(1)> & 'quotes' \\"too\\""
"""


def test_nothing_from_the_program_reaches_the_html_unescaped():
    html = html_of(HOSTILE)
    for raw in ("<script>", "</script>", "<b>", "<i>", "<img src=x", "</style><script>", "<1>"):
        assert raw not in html
    assert html.count("<img") == html.count('<img src="data:image/svg+xml;base64,')  # only the figure
    assert "Tom &amp; Jerry&#39;s &lt;script&gt;alert(1)&lt;/script&gt; &#34;plan&#34;" in html
    assert "O&#39;Brien &lt;b&gt;bold&lt;/b&gt; &amp; &#34;Co&#34;" in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#39;quotes&#39; &#34;too&#34;" in html
    text = visible_text(html)
    assert 'Tom & Jerry\'s <script>alert(1)</script> "plan"' in text
    # The running footer carries the title too, escaped like everywhere else.
    footer = re.search(r'<div class="running-footer">(.*?)</div>', html, re.S).group(1)
    assert "Tom &amp; Jerry&#39;s &lt;script&gt;" in footer


def test_html_is_one_self_contained_file():
    html = html_of(LANGUAGE_EXAMPLE)
    assert "<style>" in html and "@page" in html
    assert "<link" not in html and "<script" not in html
    for reference in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert reference.startswith(("data:", "#")), reference
    assert not re.search(r"url\((?!data:)", html)


class _Anchors(HTMLParser):
    """Every id an element of the page carries, and every in-page link (`href="#..."`)."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids.append(value)
            elif name == "href" and value and value.startswith("#"):
                self.links.append(value[1:])


# Glute bridge opens both phases: its card is number 1 in each.
SAME_EXERCISE_IN_TWO_PHASES = """\
program "Twice"
phase "One" 1w:
  session daily:
    glute_bridge 3x10
phase "Two" 1w:
  session daily:
    glute_bridge 3x12
"""


@pytest.mark.parametrize(
    "text",
    [
        *(pytest.param(program.read_text(), id=program.stem) for program in sorted(PROGRAMS.glob("*.prog"))),
        pytest.param(SAME_EXERCISE_IN_TWO_PHASES, id="same_exercise_in_two_phases"),
    ],
)
def test_html_ids_are_unique_and_every_in_page_link_resolves(text):
    found = _Anchors(html_of(text))
    assert found.ids, "the handout should give its phases and cards ids"
    repeated = sorted(anchor for anchor, count in Counter(found.ids).items() if count > 1)
    assert not repeated, f"ids used more than once: {repeated}"
    dangling = sorted(set(found.links) - set(found.ids))
    assert not dangling, f"links to ids that do not exist: {dangling}"


def test_output_does_not_depend_on_the_clock(example_pdf):
    assert html_of(LANGUAGE_EXAMPLE) == html_of(LANGUAGE_EXAMPLE)
    assert pdf_of(LANGUAGE_EXAMPLE) == example_pdf


# ---- PDF ----------------------------------------------------------------------------

FONT_EPOCH = dt.datetime(1904, 1, 1, tzinfo=dt.UTC)  # a font's `head` table counts from here


def font_stamps(data: bytes) -> set[dt.datetime]:
    """The `modified` time in the `head` table of every font the PDF embeds."""
    stamps = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            if stream is not None:
                modified = TTFont(io.BytesIO(stream.get_object().get_data()))["head"].modified
                stamps.add(FONT_EPOCH + dt.timedelta(seconds=modified))
    return stamps


def _into_the_next_second():
    """Sleep past the next whole second, so that the clock reads differently at second resolution."""
    time.sleep(1.05 - time.time() % 1)


@pytest.mark.parametrize(
    "timestamp, environment",
    [
        pytest.param(None, None, id="no-timestamp"),
        pytest.param(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), None, id="timestamp-from-the-api"),
        pytest.param(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "1767225600", id="source-date-epoch"),
    ],
)
def test_pdf_bytes_do_not_depend_on_the_clock_when_fonttools_subsets_the_fonts(monkeypatch, timestamp, environment):
    # No HarfBuzz subsetter, as on a machine without libharfbuzz-subset0 (and as benchmarks/run.py
    # switches it off): WeasyPrint subsets with fontTools, which stamps the time into each font.
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    if environment is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", environment)
    plan = plan_of(LANGUAGE_EXAMPLE)
    options = RenderOptions(timestamp=timestamp)
    first = PdfBackend().render(plan, options)
    _into_the_next_second()
    second = PdfBackend().render(plan, options)
    assert first == second
    expected = timestamp or dt.datetime.combine(plan.start, dt.time(), dt.UTC)
    assert font_stamps(first) == {expected}
    assert os.environ.get("SOURCE_DATE_EPOCH") == environment  # set only while printing, then restored


@pytest.mark.parametrize("before", [None, "1767225600"])
def test_source_date_epoch_is_set_only_while_printing(monkeypatch, before):
    from progdsl.backends.printing import source_date_epoch

    if before is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", before)
    with source_date_epoch(dt.datetime(2027, 4, 5)):  # naive: taken as UTC
        assert os.environ["SOURCE_DATE_EPOCH"] == "1806883200"
    assert os.environ.get("SOURCE_DATE_EPOCH") == before
    with pytest.raises(RuntimeError), source_date_epoch(dt.datetime(2027, 4, 5, tzinfo=dt.UTC)):
        raise RuntimeError
    assert os.environ.get("SOURCE_DATE_EPOCH") == before
    # fontTools cannot date a font before 1904: a program may start earlier than 1970.
    with source_date_epoch(dt.datetime(1900, 1, 1, tzinfo=dt.UTC)):
        assert os.environ["SOURCE_DATE_EPOCH"] == "0"


def test_pdf_text_has_title_client_exercises_and_doses(example_pdf):
    text = " ".join(pdf_pages(example_pdf))
    for expected in (
        "Glutes for a sore back",
        "Sam Lee",
        "Alex Moore, Exercise Physiologist",
        "Clam shell",
        "Glute bridge",
        "Dead bug",
        "Bird dog",
        "Plank",
        "3 sets of 10–15 · green band · rest 60 s between sets",
        "3 holds of 45–60 seconds, each side",
        "Staying safe",
        "tracking log",
    ):
        assert expected in text, expected


def test_pdf_page_count_and_running_footer(example_pdf):
    pages = pdf_pages(example_pdf)
    assert 5 <= len(pages) <= 12
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Glutes for a sore back" in text


def test_no_step_is_split_and_a_card_keeps_its_name_figure_and_first_steps_together(example_pdf):
    """A long card may run onto the next page between two steps, never inside one; its name
    stays with its first two steps, and its last two steps share a page."""
    pages = [squeeze(text) for text in pdf_pages(example_pdf)]
    cards_from = next(i for i, text in enumerate(pages) if "Howtodoeachexercise" in text)

    def page_of(text: str) -> int:
        found = [i for i, page in enumerate(pages) if i >= cards_from and text in page]
        assert len(found) == 1, f"{text[:40]!r} is not whole on one page"
        return found[0]

    for exercise in plan_of(LANGUAGE_EXAMPLE).exercises:
        steps = [squeeze(step) for step in exercise.instructions]
        on = [page_of(step) for step in steps]
        assert on[0] == on[1], f"{exercise.name}: a page ends after its first step"
        assert pages[on[0]].index(squeeze(exercise.name)) < pages[on[0]].index(steps[0]), exercise.name
        assert on[-2] == on[-1], f"{exercise.name}: its last step stands alone"


def test_a4_by_default_and_us_letter_on_request(example_pdf):
    def size(data: bytes) -> tuple[float, float]:
        box = PdfReader(io.BytesIO(data)).pages[0].mediabox
        return round(float(box.width), 2), round(float(box.height), 2)

    assert size(example_pdf) == A4
    assert size(pdf_of(LANGUAGE_EXAMPLE, page_size="letter")) == LETTER
    assert size(pdf_of("set page_size letter\n" + LANGUAGE_EXAMPLE)) == LETTER


# What WeasyPrint says about the machine rather than the handout: it has no HarfBuzz subsetter.
MACHINE_WARNINGS = ("Using fontTools instead of HarfBuzz-Subset",)


@pytest.mark.parametrize("program", sorted(PROGRAMS.glob("*.prog")), ids=lambda p: p.stem)
def test_every_example_program_prints_without_weasyprint_warnings(program, caplog):
    plan = plan_of(program.read_text(), str(program))
    caplog.set_level(logging.WARNING, logger="weasyprint")
    data = PdfBackend().render(plan, RenderOptions())
    warnings = [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("weasyprint")
        and record.levelno >= logging.WARNING
        and not record.getMessage().startswith(MACHINE_WARNINGS)
    ]
    assert warnings == []
    text = " ".join(pdf_pages(data))
    assert plan.program.title in text
    for exercise in plan.exercises:
        assert exercise.name in text


# ---- nothing is fetched, nothing is attached ------------------------------------------


@pytest.fixture
def loopback_server():
    """An HTTP server on 127.0.0.1 that records every request it receives."""
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def _program_with_markup(note: str) -> str:
    escaped = note.replace("\\", "\\\\").replace('"', '\\"')
    return LANGUAGE_EXAMPLE.replace("    dead_bug 3x8 each side", f'    dead_bug 3x8 each side note "{escaped}"')


def test_a_url_in_a_note_is_never_fetched(loopback_server):
    url, requests = loopback_server
    note = (
        f'<img src="{url}/img.png"> <link rel="stylesheet" href="{url}/style.css"> '
        f"<style>@import url({url}/import.css);</style> {url}/plain"
    )
    data = pdf_of(_program_with_markup(note))
    assert requests == []
    assert f'<img src="{url}/img.png">' in " ".join(pdf_pages(data))  # printed as text


def test_a_file_named_in_a_note_is_never_attached():
    data = pdf_of(_program_with_markup('<a rel="attachment" href="file:///etc/passwd">notes</a>'))
    reader = PdfReader(io.BytesIO(data))
    assert reader.attachments == {}
    assert b"/EmbeddedFile" not in data
    assert b"root:" not in data


def test_template_markup_cannot_reach_the_network_either(tmp_path, loopback_server):
    url, requests = loopback_server
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "brand.html").write_text(f'<img src="{url}/logo.png">')
    with pytest.raises(HandoutError, match="may only use files from their own folder"):
        pdf_of(LANGUAGE_EXAMPLE, template=str(tmp_path))
    assert requests == []


def test_template_markup_cannot_attach_files_outside_its_folder(tmp_path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "brand.html").write_text('<a rel="attachment" href="file:///etc/passwd">x</a>')
    with pytest.raises(HandoutError, match="may only use files from their own folder"):
        pdf_of(LANGUAGE_EXAMPLE, template=str(tmp_path))


# ---- fonts ----------------------------------------------------------------------------


def test_a_chinese_client_name_prints_or_names_the_font_to_install():
    text = LANGUAGE_EXAMPLE.replace('client "Sam Lee"', 'client "李小龙"')
    try:
        data = pdf_of(text)
    except MissingFont as missing:
        assert "李" in str(missing) and "Noto Sans CJK SC" in str(missing) and "fonts-noto-cjk" in str(missing)
    else:
        assert "李小龙" in pdf_pages(data)[0]


def test_a_character_no_font_has_stops_the_build_with_the_font_to_install():
    candidates = ["\U0001e900", "\U00010900", "\U00016a40", "\U0001e800", "\u0378"]  # Adlam, Phoenician, Mro…
    uncovered = next((c for c in candidates if not _printable(c)), None)
    if uncovered is None:
        pytest.skip("every candidate character has an installed font here")
    text = LANGUAGE_EXAMPLE.replace('client "Sam Lee"', f'client "Sam {uncovered}"')
    with pytest.raises(MissingFont, match=f"U\\+{ord(uncovered):04X}.*Install a font that has it") as missing:
        pdf_of(text)
    assert f"Sam {uncovered}" in str(missing.value)


def test_font_suggestions_name_the_script_and_package():
    assert suggested_font("张") == ("Noto Sans CJK SC", "fonts-noto-cjk")
    assert suggested_font("한") == ("Noto Sans CJK KR", "fonts-noto-cjk")
    assert suggested_font("ש") == ("Noto Sans Hebrew", "fonts-noto-core or fonts-noto-extra")


# ---- templates ------------------------------------------------------------------------


def test_a_clinic_folder_overrides_one_partial_and_falls_back_for_the_rest(tmp_path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    (tmp_path / "partials" / "brand.html").write_text(
        '<div class="brand"><img class="brand-logo" src="{{ asset(\'assets/logo.svg\') }}" alt="">'
        '<p class="brand-contact">Riverside Physio · 02 5550 1234 · {{ handout.clinician }}</p></div>'
    )
    html = html_of(LANGUAGE_EXAMPLE, template=str(tmp_path))
    assert "Riverside Physio · 02 5550 1234 · Alex Moore, Exercise Physiologist" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "Staying safe" in html and "tracking log" in html  # the built-in rest
    data = pdf_of(LANGUAGE_EXAMPLE, template=str(tmp_path))
    assert "Riverside Physio" in pdf_pages(data)[0]


def test_a_clinic_template_can_extend_the_builtin_one_and_replace_a_block(tmp_path):
    (tmp_path / "handout.html").write_text(
        '{% extends "builtin/handout.html" %}'
        '{% block log %}<section class="log"><h2>Notes for the team</h2></section>{% endblock %}'
    )
    text = visible_text(html_of(LANGUAGE_EXAMPLE, template=str(tmp_path)))
    assert "Notes for the team" in text and "tracking log" not in text
    assert "Staying safe" in text


# Ways out of a template into Python: each would run `touch MARKER` if the sandbox let it.
ESCAPES = {
    "cycler globals": "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "joiner globals": "{{ joiner.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "lipsum globals": "{{ lipsum.__globals__.os.popen('touch MARKER').read() }}",
    "asset globals": "{{ asset.__globals__['__builtins__']['__import__']('os').popen('touch MARKER').read() }}",
    "subclasses": "{% for c in ''.__class__.__mro__[1].__subclasses__() %}"
    "{% if c.__name__ == 'Popen' %}{{ c('touch MARKER', shell=True) }}{% endif %}{% endfor %}",
    "handout internals": "{{ handout.__class__.__init__.__globals__ }}",
    "changing a list": "{% set seen = [] %}{{ seen.append('MARKER') }}",  # the sandbox is immutable too
}


@pytest.mark.parametrize("backend", [HtmlBackend, PdfBackend], ids=["html", "pdf"])
@pytest.mark.parametrize("markup", list(ESCAPES.values()), ids=list(ESCAPES))
def test_a_template_that_tries_to_run_code_stops_the_build_and_runs_nothing(tmp_path, backend, markup):
    marker = tmp_path / "MARKER"
    clinic = tmp_path / "clinic"
    (clinic / "partials").mkdir(parents=True)
    (clinic / "partials" / "brand.html").write_text(markup.replace("MARKER", str(marker)))
    with pytest.raises(HandoutError) as failure:
        backend().render(plan_of(LANGUAGE_EXAMPLE), RenderOptions({"template": str(clinic)}))
    message = str(failure.value)
    assert "partials/brand.html" in message and "unsafe" in message, message
    assert not marker.exists()


def test_the_builtin_templates_render_the_same_in_the_sandbox():
    """Every template, built-in or the clinic's, runs in Jinja2's immutable sandbox, and the
    built-in ones print exactly what they printed before it: the same bytes for every program."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from progdsl.backends.html import environment, render_html, template_folders

    for program in sorted(PROGRAMS.glob("*.prog")):
        plan = plan_of(program.read_text(), str(program))
        folders = template_folders(plan, RenderOptions())
        sandboxed = environment(folders)
        assert isinstance(sandboxed, ImmutableSandboxedEnvironment)
        plain = jinja2.Environment(
            loader=sandboxed.loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        plain.filters.update(sandboxed.filters)
        plain.globals.update(sandboxed.globals)
        for size, css_size in (("a4", "A4"), ("letter", "letter")):
            handout = build_handout(plan)
            expected = plain.get_template("handout.html").render(handout=handout, page_size=css_size, large_print=False)
            assert render_html(plan, RenderOptions({"page_size": size})) == expected, program.name


def test_only_the_command_line_names_the_template_folder(tmp_path):
    plan = plan_of(LANGUAGE_EXAMPLE)
    assert RenderOptions().setting(plan, "template") is None
    assert RenderOptions({"template": str(tmp_path)}).setting(plan, "template") == str(tmp_path)
    assert "template" not in SETTINGS  # so no program line can reach it (E152)


def test_template_problems_are_reported_clearly(tmp_path):
    with pytest.raises(HandoutError, match="does not exist"):
        html_of(LANGUAGE_EXAMPLE, template=str(tmp_path / "missing"))
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "brand.html").write_text("<img src=\"{{ asset('../../etc/passwd') }}\">")
    with pytest.raises(HandoutError, match="inside the template folder"):
        html_of(LANGUAGE_EXAMPLE, template=str(tmp_path))


# ---- imports --------------------------------------------------------------------------


def _modules_loaded_after(code: str) -> list[str]:
    """The Jinja2 and WeasyPrint modules a fresh interpreter has loaded after running `code`."""
    report = "\nprint(sorted({m.split('.')[0] for m in sys.modules} & {'jinja2', 'weasyprint'}))"
    out = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code + report], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return eval(out.stdout.strip().splitlines()[-1])


def test_check_imports_neither_jinja_nor_weasyprint():
    assert (
        _modules_loaded_after(
            "from click.testing import CliRunner\n"
            "from progdsl.cli import main\n"
            f"result = CliRunner().invoke(main, ['check', {str(PROGRAMS)!r}])\n"
            "assert result.exit_code == 0, result.output"
        )
        == []
    )


def test_weasyprint_is_imported_only_to_print():
    assert _modules_loaded_after("import progdsl.backends.pdf") == ["jinja2"]


# ---- length and page fill ------------------------------------------------------------


def page_fill(data: bytes) -> list[float]:
    """How far down each page the text reaches, as a share of the area inside the margins
    (the running footer, in the bottom margin, does not count)."""
    fills = []
    for page in PdfReader(io.BytesIO(data)).pages:
        top, bottom = float(page.mediabox.height) - 12 * 72 / 25.4, 14 * 72 / 25.4
        lowest = [top]

        def visit(text, cm, tm, font, size, lowest=lowest, top=top, bottom=bottom):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip() and bottom < y < top:
                lowest.append(y)

        page.extract_text(visitor_text=visit)
        fills.append((top - min(lowest)) / (top - bottom))
    return fills


TWELVE_WEEKS = ROOT / "tests" / "twelve_weeks.prog"

# Issue 14's targets, pages on A4 with every figure the registry has pose data for. Today
# back_pain_stages (8 weeks, 13 exercises) prints on 7 and the twelve-week program on 9.
PAGES = {"glutes_sore_back": 3, "back_pain_stages": 7, "twelve_weeks": 9}


@pytest.fixture(scope="module")
def printed() -> dict[str, bytes]:
    programs = [*sorted(PROGRAMS.glob("*.prog")), TWELVE_WEEKS]
    return {p.stem: PdfBackend().render(plan_of(p.read_text(), str(p)), RenderOptions()) for p in programs}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PAGES))
def test_handouts_stay_short(printed, name):
    assert len(PdfReader(io.BytesIO(printed[name])).pages) <= PAGES[name]


@pytest.mark.slow
def test_no_page_but_the_last_is_mostly_empty(printed):
    thin = {name: [round(fill, 2) for fill in page_fill(data)] for name, data in printed.items()}
    assert not {name: fills for name, fills in thin.items() if min(fills[:-1]) < 0.4}


@pytest.mark.slow
def test_text_sizes_are_readable():
    """Body text 10.5pt, nothing below 8.5pt, in the PDF as printed."""
    sizes: Counter[float] = Counter()
    for page in PdfReader(io.BytesIO(pdf_of(LANGUAGE_EXAMPLE))).pages:

        def visit(text, cm, tm, font, size, sizes=sizes):
            if text.strip():
                sizes[round(abs(size * tm[3] * cm[3]), 1)] += len(text.strip())

        page.extract_text(visitor_text=visit)
    assert min(sizes) >= 8.5, sorted(sizes)
    assert sizes.most_common(1)[0][0] == 10.5, sizes.most_common(3)


# ---- accessibility and archiving ---------------------------------------------------------


def test_large_print_from_the_command_line_or_the_program():
    assert 'class="large-print"' in html_of(LANGUAGE_EXAMPLE, print_size="large")
    assert 'class="large-print"' in html_of("set print_size large\n" + LANGUAGE_EXAMPLE)
    assert 'class="large-print"' not in html_of(LANGUAGE_EXAMPLE)


@pytest.mark.slow
def test_the_pdf_is_tagged_reads_in_order_and_can_be_pdf_a(example_pdf):
    reader = PdfReader(io.BytesIO(example_pdf))
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = " ".join(pdf_pages(example_pdf))
    order = ["Glutes for a sore back", "What a day looks like", "Staying safe", "Your plan, phase by phase",
             "How to do each exercise", "Your schedule and tracking log"]  # fmt: skip
    assert [text.index(heading) for heading in order] == sorted(text.index(heading) for heading in order)
    archived = pdf_of(LANGUAGE_EXAMPLE, pdf_variant="pdf/a-3u")
    assert "/OutputIntents" in PdfReader(io.BytesIO(archived)).trailer["/Root"]  # PDF/A's colour profile
    assert "/OutputIntents" not in reader.trailer["/Root"]
    with pytest.raises(HandoutError, match="unknown PDF variant"):
        pdf_of(LANGUAGE_EXAMPLE, pdf_variant="pdf/z")


def extracted_texts(data: bytes, tmp_path) -> dict[str, str]:
    """The PDF's text as pypdf and, where poppler is installed, `pdftotext` and `pdftotext -layout`
    read it, runs of whitespace made single spaces."""
    texts = {"pypdf": " ".join(pdf_pages(data))}
    if shutil.which("pdftotext"):
        path = tmp_path / "handout.pdf"
        path.write_bytes(data)
        for mode in ([], ["-layout"]):
            out = subprocess.run(["pdftotext", *mode, str(path), "-"], capture_output=True, text=True, check=True)
            texts["pdftotext " + " ".join(mode)] = " ".join(out.stdout.split())
    return texts


def assert_in_order(text: str, parts: list[str], what: str) -> None:
    """Each part is in the text after the one before it (whitespace aside)."""
    text, at = squeeze(text), 0
    for part in map(squeeze, parts):
        found = text.find(part, at)
        assert found >= 0, f"{what}: {part!r} is missing or out of order after {text[max(0, at - 60) : at]!r}"
        at = found + len(part)


@pytest.mark.slow
def test_text_extraction_reads_the_cover_the_doses_and_each_card_in_order(example_pdf, tmp_path):
    handout = build_handout(plan_of(LANGUAGE_EXAMPLE))
    bird_dog = next(card for card in handout.cards if card.exercise_id == "bird_dog")
    texts = extracted_texts(example_pdf, tmp_path)
    for tool, text in texts.items():
        # The cover's facts: each label, then its value.
        cover = ["Glutes for a sore back", "PREPARED FOR", "Sam Lee", "PREPARED BY", "Alex Moore, Exercise Physiologist",
                 "DATES", handout.dates, "TIME IT TAKES", "about 5"]  # fmt: skip
        assert_in_order(text, cover, f"{tool}, the cover")
        # A routine's table: each exercise, then its dose.
        plan = text[text.index("Your plan, phase by phase") :]
        doses = ["Glute bridge", "3 sets of 10–15 · green band · rest 60 s between sets",
                 "Dead bug", "3 sets of 8, each side", "Bird dog", "3 sets of 8, each side · hold each repetition 3 s"]  # fmt: skip
        assert_in_order(plan, doses, f"{tool}, the plan")
        # A card: its name, what it needs, its steps in order, then its cautions.
        cards = text[text.index("How to do each exercise") :]
        card = [bird_dog.name, "You need:", *(f"{n}. {step}" for n, step in enumerate(bird_dog.instructions, 1)),
                "TAKE CARE", *bird_dog.cautions]  # fmt: skip
        assert_in_order(cards, card, f"{tool}, the bird dog's card")
    assert len(texts) == 3 or not shutil.which("pdftotext")


# ---- the command line -------------------------------------------------------------------


def test_build_takes_large_print_and_leaves_the_summary_to_be_asked_for(tmp_path):
    from click.testing import CliRunner

    from progdsl.cli import ON_REQUEST, main

    program = tmp_path / "sam.prog"
    program.write_text(LANGUAGE_EXAMPLE)
    result = CliRunner().invoke(main, ["build", str(program), "--to", "html", "--large-print", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert 'class="large-print"' in (tmp_path / "sam.html").read_text()
    assert ON_REQUEST == ("summary",)
    bad = CliRunner().invoke(main, ["build", str(program), "--to", "pdf", "--pdf-variant", "pdf/z"])
    assert bad.exit_code == 2 and "pdf/a-3u" in bad.output


@pytest.mark.slow
def test_build_to_summary_writes_the_clinicians_summary_beside_the_handout(tmp_path):
    from click.testing import CliRunner

    from progdsl.cli import main

    program = tmp_path / "sam.prog"
    program.write_text(ALLOWED)
    result = CliRunner().invoke(main, ["build", str(program), "--to", "summary", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sam.prog", "sam.summary.pdf"]
    assert "S301" in " ".join(pdf_pages((tmp_path / "sam.summary.pdf").read_bytes()))
