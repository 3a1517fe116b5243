"""Helpers the report and signing tests share (PDF text, font embedding, cases, identities), with tests
showing that the checks themselves can fail: a checker that never fails proves nothing."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

from conftest import SHARED_CASES, project_case_paths
from pypdf import PdfReader
from pypdf._page import PageObject
from pypdf.generic import DictionaryObject, IndirectObject, NameObject
from reportlab.pdfgen.canvas import Canvas

from guideline_db.case_io import load_case, parse_case
from guideline_db.case_model import Case

FIXED_TIME = datetime(2024, 7, 1, 9, 30, tzinfo=UTC)
PASSPHRASE = b"correct horse battery staple"


def squash(text: str) -> str:
    """Text without any whitespace: extraction breaks lines between font runs and table cells."""
    return re.sub(r"\s+", "", text)


def page_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def stamp_text(pdf: bytes) -> str:
    """Text of every widget appearance (the visible signature stamps), which page text omits."""
    reader = PdfReader(io.BytesIO(pdf))
    texts = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            appearance = (annot.get("/AP") or {}).get("/N")
            if appearance is None:
                continue
            stream = appearance.get_object()
            box = [float(v) for v in stream["/BBox"]]
            blank = PageObject.create_blank_page(width=box[2] - box[0], height=box[3] - box[1])
            blank[NameObject("/Resources")] = stream["/Resources"]
            blank[NameObject("/Contents")] = appearance if isinstance(appearance, IndirectObject) else stream
            texts.append(blank.extract_text() or "")
    return "\n".join(texts)


def _walk(obj, seen: set[int], found: list[DictionaryObject]) -> None:
    if isinstance(obj, IndirectObject):
        if obj.idnum in seen:
            return
        seen.add(obj.idnum)
        obj = obj.get_object()
    if isinstance(obj, dict):
        if obj.get("/Type") == "/Font":
            found.append(obj)
        for value in obj.values():
            _walk(value, seen, found)
    elif isinstance(obj, list):
        for value in obj:
            _walk(value, seen, found)


def font_problems(pdf: bytes) -> list[str]:
    """Every font reachable from the document (pages, XObjects, stamps) that embeds no font program."""
    reader = PdfReader(io.BytesIO(pdf))
    fonts: list[DictionaryObject] = []
    _walk(reader.trailer["/Root"], set(), fonts)
    problems = []
    for font in fonts:
        descriptors = []
        if "/FontDescriptor" in font:
            descriptors.append(font["/FontDescriptor"].get_object())
        for descendant in font.get("/DescendantFonts") or []:
            descriptors.append(descendant.get_object()["/FontDescriptor"].get_object())
        embedded = descriptors and all(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                                       for d in descriptors)
        if font.get("/Subtype") == "/Type3":
            embedded = True   # glyphs are content streams
        if not embedded:
            problems.append(str(font.get("/BaseFont")))
    if not fonts:
        problems.append("no fonts found at all")
    return problems


def vignette_paths() -> list[Path]:
    shared = sorted(p for p in SHARED_CASES.glob("*.json") if not p.name.endswith(".expected.json")) \
        if SHARED_CASES.is_dir() else []
    return shared + project_case_paths()


def decided_case(case_id: str = "built-decided-01") -> Case:
    """A case with an MDT decision, attendees and a deviation, built here (no vignette needed)."""
    return parse_case({
        "schema_version": 1, "case_id": case_id, "evaluation_date": "2024-07-01",
        "patient": {"sex": "female", "age": 61, "menopausal_status": "post", "ecog": 1, "name": "测试 患者"},
        "presentation": "de_novo_stage_iv",
        "primary_diagnosis_date": "2024-05-01", "metastatic_diagnosis_date": "2024-05-01",
        "pathology": [{"specimen": "primary", "site": "左乳 core biopsy", "date": "2024-05-02", "er_percent": 90,
                       "pr_percent": 50, "her2_ihc": "1+", "ki67_percent": 20}],
        "biomarkers": {"pik3ca": "negative", "gbrca": "negative"},
        "metastases": [{"organ": "liver", "lesion_count": 4, "max_diameter_cm": 2.0},
                       {"organ": "bone", "lesion_count": 5, "symptomatic": False,
                        "bone": {"locations": ["thoracic_spine", "rib"], "lesion_type": "lytic", "pain": True}}],
        "mdt": {"meeting_date": "2024-07-01",
                "attendees": [{"name": "张主任", "role": "medical_oncology"}, {"name": "Dr Lee", "role": "radiology"}],
                "decision": {"systemic": ["letrozole", "ribociclib"], "chosen_options": ["T8-L1-NAIVE-P1"],
                             "local": ["bone_modifying_agent"], "follows_guideline": False,
                             "deviation_reason_code": "patient_preference", "deviation_reason": "患者倾向口服方案 (patient prefers oral)",
                             "notes": "复查 CT 后再议", "next_assessment_date": "2024-09-01"}},
    })


def load(path: Path) -> Case:
    return load_case(path)


def test_font_check_flags_an_unembedded_standard_font():
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 720, "not embedded")
    canvas.showPage()
    canvas.save()
    assert "/Helvetica" in font_problems(buffer.getvalue())


def test_squash_removes_line_breaks_between_runs():
    assert squash("MDT \n主席 审核\n批准") == "MDT主席审核批准"
