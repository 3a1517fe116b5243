"""Issue 17, item 1: the patient timeline — one layout in the core, drawn on the PDF's first page.

Geometry: every therapy of every vignette has a bar, and no two items of one lane overlap (bar or label);
the windows are the engine's thresholds; every label is in the reader's language. Rendering: the report's
first page carries the drawing (pypdf), rendered to PNG with pdftoppm (looked at by hand: see docs/workflow.md).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from builders import base_case, build, recurrent, therapy
from pypdf import PdfReader
from test_report_support import FIXED_TIME, font_problems, vignette_paths

from guideline_db.case_io import load_case
from guideline_db.database import open_guideline
from guideline_db.engine import engine_for, evaluate
from guideline_db.engine.dates import add_months
from guideline_db.vocabulary import load_vocabulary
from guideline_db.workflow.timeline import GAP, TimelineLayout, timeline_layout
from reports.pdf_report import build_report

CASES = vignette_paths()
TOKEN = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def extents(layout: TimelineLayout):
    """(band, row, x0, x1, what) of every item the layout places."""
    for bar in layout.bars:
        yield "bars", bar.row, min(bar.x0, bar.label_x0), max(bar.x1, bar.label_x1), bar.label
    for marker in layout.markers:
        yield "markers", marker.row, marker.label_x0, marker.label_x1, marker.label
    for spec in layout.specimens:
        yield "specimens", spec.row, spec.label_x0, spec.label_x1, spec.label
    for window in layout.windows:
        yield "windows", window.row, min(window.x0, window.label_x0), max(window.x1, window.label_x1), window.label


def overlaps(layout: TimelineLayout) -> list[str]:
    placed: dict[tuple[str, int], list[tuple[float, float, str]]] = {}
    for band, row, x0, x1, what in extents(layout):
        placed.setdefault((band, row), []).append((x0, x1, what))
    found = []
    for (band, row), items in placed.items():
        items.sort()
        for (a0, a1, a), (b0, _b1, b) in zip(items, items[1:], strict=False):
            if b0 < a1 + GAP * 0.99:
                found.append(f"{band} lane {row}: {a!r} [{a0:.3f}, {a1:.3f}] overlaps {b!r} from {b0:.3f}")
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_therapy_of_every_vignette_is_drawn_without_overlap(path, lang):
    case = load_case(path)
    layout = timeline_layout(case, evaluate(case), lang)
    assert sorted(bar.index for bar in layout.bars) == list(range(len(case.therapies)))
    assert overlaps(layout) == []
    for bar in layout.bars:
        therapy = case.therapies[bar.index]
        assert 0 <= bar.x0 < bar.x1 <= 1, bar
        assert bar.start == therapy.start
        for agent in therapy.agents:
            assert load_vocabulary().name(agent, lang) in bar.label
    labels = [what for *_, what in extents(layout)]
    assert not [text for text in labels if TOKEN.search(text)], "an internal token is shown"
    assert layout.bar_rows == (1 + max((b.row for b in layout.bars), default=-1))


def test_the_overlap_check_can_fail():
    case = build(base_case())
    layout = timeline_layout(case, lang="en")
    bar = layout.bars[0] if layout.bars else None
    assert bar is None   # the base case has no therapy; make two that collide by hand
    data = base_case()
    data["therapies"] = [therapy("advanced", ["letrozole"], "2024-05-05", line=1)]
    layout = timeline_layout(build(data), lang="en")
    clash = layout.bars[0]
    forged = TimelineLayout(layout.lang, layout.start, layout.end, (clash, clash), layout.markers, layout.specimens,
                            layout.windows, layout.ticks, layout.marker_rows, 1, layout.specimen_rows, layout.window_rows)
    assert overlaps(forged)


def crowded_case() -> dict:
    """Many short therapies close together: the packer must open new lanes."""
    data = recurrent(base_case("crowded"), "2016-01-10", "2021-03-01")
    data["therapies"] = [
        therapy("neoadjuvant", ["epirubicin", "cyclophosphamide"], "2016-01-20", "2016-04-20"),
        therapy("neoadjuvant", ["docetaxel", "trastuzumab"], "2016-04-25", "2016-07-20"),
        therapy("adjuvant", ["trastuzumab"], "2016-08-15", "2017-07-15"),
        therapy("adjuvant", ["letrozole"], "2016-09-01", "2021-03-01", progression="2021-03-01"),
    ]
    for line, (agents, start, end) in enumerate([
            (["fulvestrant", "palbociclib"], "2021-03-10", "2021-09-01"), (["capecitabine"], "2021-09-05", "2021-12-01"),
            (["t_dxd"], "2021-12-05", "2022-05-01"), (["eribulin"], "2022-05-05", "2022-07-01"),
            (["gemcitabine", "carboplatin"], "2022-07-05", "2022-09-01")], start=1):
        data["therapies"].append(therapy("advanced", agents, start, end, line=line, progression=end))
    data["pathology"][0]["her2_ihc"] = "3+"
    data["pathology"].append({"specimen": "metastasis", "date": "2021-02-20", "er_percent": 60, "pr_percent": 0,
                              "her2_ihc": "2+", "her2_ish": "amplified"})
    return data


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_crowded_history_opens_lanes_instead_of_overlapping(lang):
    case = build(crowded_case())
    layout = timeline_layout(case, lang=lang)
    assert len(layout.bars) == len(case.therapies) == 9
    assert layout.bar_rows >= 2
    assert overlaps(layout) == []


def test_windows_come_from_the_engine_thresholds():
    case = build(crowded_case())
    thresholds = engine_for(open_guideline()).thresholds
    layout = timeline_layout(case, lang="en")
    by_kind = {w.kind: w for w in layout.windows}
    adjuvant = by_kind["endocrine_adjuvant"]
    assert adjuvant.start.isoformat() == "2016-09-01"
    assert adjuvant.end == add_months(adjuvant.start, int(thresholds["primary_resistance_adjuvant_months"].value))
    first = by_kind["endocrine_first_line"]
    assert first.end == add_months(first.start, int(thresholds["primary_resistance_first_line_months"].value))
    assert first.inside is True   # progressed before 6 months on the first endocrine line
    tfi = by_kind["trastuzumab_free_interval"]
    assert tfi.start.isoformat() == "2017-07-15"
    assert tfi.end == add_months(tfi.start, int(thresholds["trastuzumab_free_interval_months"].value))
    assert tfi.inside is False    # relapse 2021, beyond the 12 months
    verdict = load_vocabulary().name(str(evaluate(case).value("endocrine_status")), "en")
    assert verdict == "primary endocrine resistance" and verdict in first.label   # the rule fired on this window
    assert adjuvant.inside is False and "outside the window" in adjuvant.label


def pdf_pages_to_png(pdf: bytes, out: Path, first: int = 1, last: int = 1) -> list[Path]:
    source = out.with_suffix(".pdf")
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(first), "-l", str(last), str(source), str(out)],
                   check=True, timeout=60)
    return sorted(out.parent.glob(out.name + "*.png"))


def ink_fraction(png: Path) -> float:
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
    return 1 - histogram[255] / sum(histogram)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_first_page_carries_the_timeline(lang, tmp_path):
    case = build(crowded_case())
    evaluation = evaluate(case)
    pdf = build_report(case, evaluation, lang=lang, created=FIXED_TIME)
    first_page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert ("治疗时间线" if lang == "zh" else "Treatment timeline") in first_page
    flat = re.sub(r"\s+", "", first_page)
    for name in (load_vocabulary().name("eribulin", lang), load_vocabulary().name("t_dxd", lang)):
        assert re.sub(r"\s+", "", name) in flat
    assert font_problems(pdf) == []
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler's pdftoppm is not installed")
    pngs = pdf_pages_to_png(pdf, tmp_path / f"report-{lang}")
    assert pngs and ink_fraction(pngs[0]) > 0.02


def test_a_history_too_crowded_for_labels_packs_bars_only_and_still_fits_the_first_page():
    from scaling_cases import many_therapies

    from reports.timeline_drawing import MAX_HEIGHT, timeline_drawing

    case = build(many_therapies(200))
    layout = timeline_layout(case, lang="en")
    assert layout.bar_labels is False and layout.bar_rows > 12
    assert sorted(bar.index for bar in layout.bars) == list(range(len(case.therapies)))
    assert overlaps(layout) == []
    assert timeline_drawing(layout).height <= MAX_HEIGHT
    pdf = build_report(case, evaluate(case), lang="en", created=FIXED_TIME)
    assert "Treatment timeline" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
