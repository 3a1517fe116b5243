"""PDF/A-3b requirements, one by one (no PDF/A validator could be installed here: veraPDF is on no
package registry this machine reaches), before and after two signatures; the embedded case comes back.
"""

from __future__ import annotations

import io
import json
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader
from test_report_support import FIXED_TIME, PASSPHRASE, decided_case, font_problems

from guideline_db.case_io import case_to_json, parse_case
from guideline_db.engine import evaluate
from reports.archive import CASE_ATTACHMENT, EVALUATION_ATTACHMENT, attachments_of
from reports.identity import create_identity
from reports.pdf_report import build_report
from reports.signing import sign_case_report


@pytest.fixture(scope="module")
def case():
    return decided_case()


@pytest.fixture(scope="module")
def documents(case, tmp_path_factory):
    folder = tmp_path_factory.mktemp("archive")
    unsigned = build_report(case, evaluate(case), lang="zh", created=FIXED_TIME)
    create_identity("Dr A", "MDT secretary", folder / "a.p12", PASSPHRASE, key_type="ecdsa-p256")
    create_identity("Dr B", "MDT chair", folder / "b.p12", PASSPHRASE, key_type="ecdsa-p256")
    once, _ = sign_case_report(unsigned, folder / "a.p12", PASSPHRASE, "author", timestamp_url="")
    twice, _ = sign_case_report(once, folder / "b.p12", PASSPHRASE, "chair", timestamp_url="")
    return {"unsigned": unsigned, "signed": twice}


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
      "pdf": "http://ns.adobe.com/pdf/1.3/", "xmp": "http://ns.adobe.com/xap/1.0/",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/"}


def _xmp_value(xmp: str, name: str) -> str:
    """A property of the XMP packet, written as an attribute or as an element (with rdf:Alt/Seq)."""
    prefix, local = name.split(":")
    key = f"{{{NS[prefix]}}}{local}"
    root = ElementTree.fromstring(xmp.split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        if key in description.attrib:
            return description.attrib[key]
        element = description.find(key)
        if element is not None:
            item = element.find(f".//{{{NS['rdf']}}}li")
            return (item.text if item is not None else element.text or "").strip()
    raise AssertionError(f"{name} not in the XMP packet")


def _pdf_date(value: str) -> str:
    """D:20240701093000+00'00' -> 2024-07-01T09:30:00 (offset dropped; both sides are UTC here)."""
    digits = value[2:16]
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}T{digits[8:10]}:{digits[10:12]}:{digits[12:14]}"


@pytest.mark.parametrize("which", ["unsigned", "signed"])
def test_identification_and_metadata_agree(documents, which):
    pdf = documents[which]
    assert pdf.startswith(b"%PDF-1.7"), "PDF/A-3 is based on PDF 1.7"
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"].get("/Version") in (None, "/1.7"), "not raised to PDF 2.0 by an ECDSA signature"
    xmp = _xmp(reader)
    assert _xmp_value(xmp, "pdfaid:part") == "3" and _xmp_value(xmp, "pdfaid:conformance") == "B"
    info = reader.trailer["/Info"].get_object()
    assert _xmp_value(xmp, "dc:title") == info["/Title"]
    assert _xmp_value(xmp, "pdf:Producer") == info["/Producer"]
    assert _xmp_value(xmp, "pdf:Keywords") == info["/Keywords"]
    assert _xmp_value(xmp, "xmp:CreatorTool") == info["/Creator"]
    assert _xmp_value(xmp, "xmp:ModifyDate")[:19] == _pdf_date(info["/ModDate"])
    assert _xmp_value(xmp, "xmp:CreateDate")[:19] == _pdf_date(info["/CreationDate"])
    assert "/Trapped" not in info
    assert len(reader.trailer["/ID"]) == 2
    assert not reader.is_encrypted


@pytest.mark.parametrize("which", ["unsigned", "signed"])
def test_output_intent_fonts_and_annotations(documents, which):
    reader = PdfReader(io.BytesIO(documents[which]))
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    data = profile.get_data()
    assert profile["/N"] == 3 and data[36:40] == b"acsp" and data[16:20] == b"RGB "
    assert font_problems(documents[which]) == []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            assert int(annot["/F"]) & 4, "every annotation prints"
            assert "/N" in annot["/AP"], "every annotation has a normal appearance"
    assert "/JavaScript" not in reader.trailer["/Root"].get("/Names", {})


def test_case_and_evaluation_are_associated_files(documents, case):
    reader = PdfReader(io.BytesIO(documents["signed"]))
    specs = {str(s.get_object()["/F"]): s.get_object() for s in reader.trailer["/Root"]["/AF"]}
    assert set(specs) == {CASE_ATTACHMENT, EVALUATION_ATTACHMENT}
    assert specs[CASE_ATTACHMENT]["/AFRelationship"] == "/Source"
    assert specs[EVALUATION_ATTACHMENT]["/AFRelationship"] == "/Data"
    for spec in specs.values():
        stream = spec["/EF"]["/F"].get_object()
        assert stream["/Subtype"] == "/application#2Fjson" or stream["/Subtype"] == "/application/json"
        assert "/ModDate" in stream["/Params"]
    files = attachments_of(documents["signed"])
    assert files[CASE_ATTACHMENT].decode("utf-8") == case_to_json(case)
    assert parse_case(json.loads(files[CASE_ATTACHMENT])) == case
    assert json.loads(files[EVALUATION_ATTACHMENT])["case_id"] == case.case_id


def _fonts(reader: PdfReader):
    seen = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            seen.setdefault(font.indirect_reference.idnum if font.indirect_reference else id(font), font)
    return list(seen.values())


def test_fonts_are_embedded_symbolic_truetype_with_unicode_maps(documents):
    """PDF/A 6.2.11: font programs embedded; a symbolic TrueType font has no /Encoding (its one cmap
    subtable maps the codes); every font can be mapped back to Unicode (ToUnicode)."""
    fonts = _fonts(PdfReader(io.BytesIO(documents["unsigned"])))
    assert len(fonts) >= 3
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert font["/Subtype"] == "/TrueType" and "/FontFile2" in descriptor, font["/BaseFont"]
        assert int(descriptor["/Flags"]) & 4 and "/Encoding" not in font, font["/BaseFont"]
        assert "/ToUnicode" in font, font["/BaseFont"]
