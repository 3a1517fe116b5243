"""The printed record: every page says whose it is, free text of any length flows, nothing is lost.

Checked on the PDF itself with pypdf (text per page, content-stream operators), in both languages.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from test_report_support import FIXED_TIME, decided_case, font_problems, load, squash, vignette_paths

from guideline_db.engine import evaluate
from reports.case_hash import case_version_hash
from reports.labels import t
from reports.pdf_report import FOOTER_SIZE, ReportContentError, build_report

PARAGRAPH = "第{n}段：复查提示肝转移灶缩小，骨痛缓解。Rare names 赵孟𫖯 李𬌗. 继续原方案并密切随访。\n"


def _with(case, *, notes: str | None = None, name: str | None = None, hospital_id: str | None = None):
    """A copy of `case` with decision notes / patient fields changed, bypassing the case model's caps:
    the report must cope with whatever the model lets through, now or later."""
    decision = case.mdt.decision.model_copy(update={"notes": notes}) if notes is not None else case.mdt.decision
    patient = case.patient.model_copy(update={k: v for k, v in (("name", name), ("hospital_id", hospital_id))
                                              if v is not None})
    return case.model_copy(update={"mdt": case.mdt.model_copy(update={"decision": decision}), "patient": patient})


def long_note(length: int = 20_000) -> str:
    return "".join(PARAGRAPH.format(n=i) for i in range(length // 40 + 1))[:length]


@pytest.fixture(scope="module")
def long_case():
    return _with(decided_case(), notes=long_note(), name="赵孟𫖯", hospital_id="H-000123")


@pytest.fixture(scope="module", params=["zh", "en"])
def long_report(request, long_case):
    return request.param, build_report(long_case, evaluate(long_case), lang=request.param, created=FIXED_TIME)


def test_a_20000_character_note_paginates_whole_with_its_line_breaks(long_report, long_case):
    lang, pdf = long_report
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 5
    text = "\n".join(p.extract_text() for p in pages)
    note = long_case.mdt.decision.notes
    paragraphs = note.split("\n")
    flat = squash(text)
    for paragraph in (paragraphs[0], paragraphs[len(paragraphs) // 2], paragraphs[-2], paragraphs[-1]):
        assert squash(paragraph) in flat, paragraph
    # a line break of the note is a line break on the page: each paragraph starts a line
    lines = [squash(line) for line in text.splitlines()]
    assert sum(1 for line in lines if line.startswith("第") and "段：" in line[:8]) >= len(paragraphs) - 1


def test_every_page_header_names_patient_case_version_and_page(long_report, long_case):
    lang, pdf = long_report
    pages = PdfReader(io.BytesIO(pdf)).pages
    version = case_version_hash(long_case)[:12]
    for number, page in enumerate(pages, start=1):
        flat = squash(page.extract_text())
        for value in ("赵孟𫖯", "H-000123", long_case.case_id, version,
                      squash(t("page", lang).format(n=number, total=len(pages)))):
            assert value in flat, (number, value)


def test_rare_name_characters_are_drawn_not_replaced(long_report):
    _, pdf = long_report
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "赵孟𫖯" in text and "李𬌗" in text
    assert "?" not in squash(text).replace("Rarenames", "")
    assert font_problems(pdf) == []


def _footer_runs(page) -> list[tuple[str, float, tuple]]:
    """(text, effective font size, fill colour) of every text run drawn below 15 mm."""
    state = {"fill": (0.0,)}
    runs = []

    def before(operator, operands, cm, tm):
        if operator in (b"rg", b"g", b"k"):
            state["fill"] = tuple(float(v) for v in operands)

    def visit(text, cm, tm, font_dict, font_size):
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and y < 15 * 72 / 25.4:
            runs.append((text, font_size * abs(tm[3]) * abs(cm[3] or 1), state["fill"]))

    page.extract_text(visitor_operand_before=before, visitor_text=visit)
    return runs


def test_footer_is_at_least_7_points_and_black_on_every_page(long_report):
    _, pdf = long_report
    for page in PdfReader(io.BytesIO(pdf)).pages:
        runs = _footer_runs(page)
        assert any("SHA-256" in text for text, _, _ in runs)
        for text, size, fill in runs:
            assert size >= FOOTER_SIZE - 0.01, (text, size)
            assert all(v == 0 for v in fill), (text, fill)


def _signature_page(pdf: bytes) -> int:
    reader = PdfReader(io.BytesIO(pdf))
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            if annot.get_object().get("/T") == "MDTSignature1":
                return index
    raise AssertionError("no reserved signature place")


def _cases() -> list:
    cases = [load(p) for p in vignette_paths()]
    decided = decided_case()
    cases += [decided, _with(decided, notes=long_note(3000)), _with(decided, notes=long_note(6500)),
              _with(decided, notes=long_note(9000))]
    return cases


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_signature_block_never_stands_alone_on_its_page(lang):
    """The decision (or at least its last part, the assessment plan) is on the page of the signatures."""
    checked = 0
    for case in _cases():
        pdf = build_report(case, evaluate(case), lang=lang, created=FIXED_TIME)
        index = _signature_page(pdf)
        page = PdfReader(io.BytesIO(pdf)).pages[index]
        assert squash(t("assessment", lang)) in squash(page.extract_text()), (case.case_id, index)
        checked += 1
    assert checked >= 4


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\u0085", "\ud800"])
def test_control_characters_are_refused_at_their_field(bad):
    case = _with(decided_case(), notes=f"复查{bad}后再议")
    # The report's own check, ahead of the engine and the case hash (neither can take a lone surrogate).
    evaluation = evaluate(decided_case())
    with pytest.raises(ReportContentError) as caught:
        build_report(case, evaluation, lang="zh", created=FIXED_TIME, case_version_hash="0" * 64)
    (problem,) = caught.value.problems
    assert problem.startswith("mdt.decision.notes: control or unassigned character U+")


def test_several_undrawable_fields_are_each_named():
    case = _with(decided_case(), notes="随访\U0001F9EC", name="김민지 \U0002EBF0")
    with pytest.raises(ReportContentError) as caught:
        build_report(case, evaluate(case), lang="en", created=FIXED_TIME)
    fields = sorted(p.split(":")[0] for p in caught.value.problems)
    assert fields == ["mdt.decision.notes", "patient.name"]
