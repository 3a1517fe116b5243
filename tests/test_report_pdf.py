"""The PDF case summary: every vignette renders in both languages with its key values, fonts embedded,
page numbers, pre-decision title, chosen options, long tables repeating their header."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader
from test_report_support import (
    FIXED_TIME,
    decided_case,
    font_problems,
    load,
    page_text,
    squash,
    vignette_paths,
)

from guideline_db.case_io import parse_case
from guideline_db.digest import DEVIATION_CODES, WORDS
from guideline_db.engine import evaluate
from guideline_db.vocabulary import load_vocabulary
from reports.case_hash import case_version_hash
from reports.labels import enum, t
from reports.pdf_report import build_report
from reports.sections_evaluation import chosen_option_ids
from reports.settings import ReportSettings, load_settings
from reports.signature_area import parse_slots, read_keywords

CASES = vignette_paths()


def render(case, lang, **kwargs) -> bytes:
    return build_report(case, evaluate(case), lang=lang, created=FIXED_TIME, **kwargs)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_vignette_renders_with_its_key_values(path, lang):
    case = load(path)
    evaluation = evaluate(case)
    pdf = build_report(case, evaluation, lang=lang, created=FIXED_TIME)
    text = squash(page_text(pdf))
    subtype = evaluation.facts["subtype"].value
    expected = [case.case_id, load_vocabulary().name(subtype, lang), t("title_pre", lang),
                evaluation.guideline["db_sha256"], case_version_hash(case)]
    expected += [o.label(lang) for o in evaluation.systemic if o.tier == "preferred"]
    missing = [value for value in expected if squash(value) not in text]
    assert not missing, f"{path.name} ({lang}) lacks {missing}"
    if "_" in subtype:
        assert squash(subtype) not in text                  # the reader sees the name, never the token
    assert font_problems(pdf) == []


def test_vignettes_are_present_or_project_cases_exist():
    assert CASES, "no vignette at all: neither ../shared/cases nor tests/cases"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_decided_case_shows_decision_attendees_and_marks_the_chosen_option(lang):
    case = decided_case()
    evaluation = evaluate(case)
    pdf = build_report(case, evaluation, lang=lang, created=FIXED_TIME)
    text = squash(page_text(pdf))
    vocabulary = load_vocabulary()
    decision = case.mdt.decision
    chosen_word = WORDS[lang]["chosen"]
    for value in [t("title", lang), vocabulary.name("letrozole", lang), vocabulary.name("ribociclib", lang),
                  decision.deviation_reason, "2024-09-01", "张主任", "Dr Lee", enum("role", "radiology", lang),
                  chosen_word, DEVIATION_CODES["patient_preference"][0 if lang == "zh" else 1], "测试患者"]:
        assert squash(value) in text, value
    assert squash(t("title_pre", lang)) not in text
    assert chosen_option_ids(evaluation, case) == {"T8-L1-NAIVE-P1"}
    assert font_problems(pdf) == []


def test_the_chosen_option_is_the_decision_field_not_a_guess_from_the_agents():
    case = decided_case()
    evaluation = evaluate(case)
    class_only = case.model_copy(update={"mdt": case.mdt.model_copy(update={"decision": case.mdt.decision.model_copy(
        update={"systemic": [], "chosen_options": ["T8-L1-NAIVE-R1"]})})})
    assert chosen_option_ids(evaluation, class_only) == {"T8-L1-NAIVE-R1"}   # ticked without agents: still marked
    none = case.model_copy(update={"mdt": case.mdt.model_copy(update={"decision": case.mdt.decision.model_copy(
        update={"chosen_options": []})})})
    assert chosen_option_ids(evaluation, none) == set()


def test_page_numbers_n_of_total_on_every_page():
    pdf = render(decided_case(), "en")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {len(pages)}" in page.extract_text()


def _long_case():
    data = json.loads(decided_case("long-history-01").model_dump_json(exclude_none=True))
    del data["mdt"]
    data["therapies"] = [{"setting": "advanced", "line": i + 1, "agents": ["capecitabine", "bevacizumab"],
                          "start": f"{1980 + i}-01-01", "end": f"{1980 + i}-06-01", "stop_reason": "progression",
                          "progression_date": f"{1980 + i}-06-01"} for i in range(30)]
    data["primary_diagnosis_date"] = data["metastatic_diagnosis_date"] = "1979-06-01"
    data["pathology"][0]["date"] = "1979-06-02"
    return parse_case(data)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_long_table_splits_across_pages_with_its_header_repeated(lang):
    pdf = render(_long_case(), lang)
    pages = [squash(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    header_row = squash("".join(["#", t("setting", lang), t("agents", lang), t("start", lang), t("end", lang),
                                 t("stop_reason", lang), t("progression", lang), t("response", lang)]))
    first = next(i for i, text in enumerate(pages) if "1980-01-01" in text)
    last = next(i for i, text in enumerate(pages) if "2009-01-01" in text)
    assert last > first, "30 treatment rows should run onto a second page"
    assert all(header_row in pages[i] for i in range(first, last + 1)), "header row not repeated"


def test_pre_decision_summary_is_titled_as_such():
    case = decided_case()
    pre = case.model_copy(update={"mdt": None})
    for lang in ("zh", "en"):
        text = squash(page_text(render(pre, lang)))
        assert squash(t("title_pre", lang)) in text
        assert squash(t("no_decision", lang)) in text


def test_output_is_deterministic_for_a_fixed_creation_time():
    case = decided_case()
    assert render(case, "zh") == render(case, "zh")
    other = render(case.model_copy(update={"case_id": "built-decided-02"}), "zh")
    assert other != render(case, "zh")


def test_document_info_binds_case_and_records_signature_places():
    case = decided_case()
    pdf = render(case, "zh")
    reader = PdfReader(io.BytesIO(pdf))
    keywords = read_keywords(reader.metadata.get("/Keywords"))
    assert keywords["abc-mdt-case-id="] == case.case_id
    assert keywords["abc-mdt-case-sha256="] == case_version_hash(case)
    slots = parse_slots(keywords)
    assert len(slots) == 4
    assert all(0 <= s.page_index < len(reader.pages) for s in slots)
    assert all(s.box[2] > s.box[0] and s.box[3] > s.box[1] for s in slots)


def test_settings_name_the_hospital(tmp_path):
    settings_file = tmp_path / "settings.json"
    settings_file.write_text(json.dumps({"report": {"hospital_zh": "示例医院", "hospital_en": "Example Hospital",
                                                    "department_en": "Breast MDT", "unknown": 1}}), "utf-8")
    settings = load_settings(settings_file)
    assert settings == ReportSettings(hospital_zh="示例医院", hospital_en="Example Hospital",
                                      department_en="Breast MDT")
    text = squash(page_text(render(decided_case(), "en", settings=settings)))
    assert "ExampleHospital" in text and "BreastMDT" in text


def test_broken_settings_file_falls_back_to_defaults(tmp_path):
    bad = tmp_path / "settings.json"
    bad.write_text("{not json", "utf-8")
    assert load_settings(bad) == ReportSettings()
    assert load_settings(tmp_path / "missing.json") == ReportSettings()


def test_case_hash_ignores_key_order_but_not_content():
    case = decided_case()
    reordered = parse_case(dict(reversed(list(json.loads(case.model_dump_json()).items()))))
    assert case_version_hash(reordered) == case_version_hash(case)
    changed = case.model_copy(update={"evaluation_date": case.evaluation_date.replace(day=2)})
    assert case_version_hash(changed) != case_version_hash(case)


def test_evaluation_for_another_case_is_refused():
    case = decided_case()
    other = decided_case("another-case")
    with pytest.raises(ValueError, match="evaluation is for case"):
        build_report(case, evaluate(other))


def test_withheld_options_are_listed_with_their_reason():
    data = json.loads(decided_case("pregnant-01").model_dump_json(exclude_none=True))
    data["patient"].update(pregnant=True, pregnancy_trimester=2, menopausal_status="pre", age=34)
    del data["mdt"]
    case = parse_case(data)
    evaluation = evaluate(case)
    assert evaluation.withheld, "the engine withholds non-chemotherapy options in pregnancy"
    for lang in ("zh", "en"):
        text = squash(page_text(build_report(case, evaluation, lang=lang, created=FIXED_TIME)))
        withheld = evaluation.withheld[0]
        assert squash(t("withheld", lang)) in text
        assert squash(withheld.reason_zh if lang == "zh" else withheld.reason_en) in text
