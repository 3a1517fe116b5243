"""From ReportLab's pages to the archived record: PDF/A-3b, reserved signature fields, embedded case.

Why a second step after ReportLab: ReportLab draws the pages but cannot create empty signature
fields, an XMP packet, an output intent or associated files. pyHanko's writer copies the pages into a
fresh single-revision file (`copy_into_new_writer`) and we add, once and before any signature:

- one empty signature field per reserved place (`SigFieldSpec`), each with a field lock (/Lock)
  that protects every field but the places still to be filled, and widgets flagged to print;
- the XMP packet (pdfaid part 3, conformance B) holding exactly the document-information values,
  so the two never disagree — pyHanko keeps both in step when it later appends a signature;
- an sRGB output intent (`reports/fonts/sRGB-lcms2.icc`, see README-sRGB-icc.txt);
- the case file and the evaluation as JSON associated files (/AF, relationship /Source and /Data),
  so the record can be re-imported and re-checked years later (`extract_attachment`).

PDF/A-3b and not 2b: PDF/A-2 allows only PDF/A files as attachments; the case JSON is the point.
The document /ID is derived from ReportLab's (deterministic) bytes, so a re-render with the same
inputs and creation time is identical byte for byte.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.embed import EmbeddedFileObject, EmbeddedFileParams, FileSpec
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.metadata.xmp_xml import MetadataStream
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign import fields

ICC_PROFILE = Path(__file__).resolve().parent / "fonts" / "sRGB-lcms2.icc"   # beside the fonts: one asset folder
CASE_ATTACHMENT = "case.json"
EVALUATION_ATTACHMENT = "evaluation.json"
WIDGET_PRINT = 4


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    description: str
    relationship: str            # /Source (the case file) or /Data (the evaluation)
    mime_type: str = "application/json"


@dataclass(frozen=True)
class ReservedSlot:
    field_name: str
    page_index: int
    box: tuple[float, float, float, float]
    label: str                   # tooltip (/TU): "1 · author" ...


def _pdf_date(when: datetime) -> str:
    offset = when.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    return f"D:{when:%Y%m%d%H%M%S}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


def _xmp_date(when: datetime) -> str:
    text = when.isoformat(timespec="seconds")
    return text.replace("+00:00", "Z") if when.utcoffset() is not None else text


def xmp_packet(info: dict[str, str], created: datetime, lang: str) -> bytes:
    """The XMP packet: the document information in XMP form, and the PDF/A-3b identification."""
    x = {k: escape(v) for k, v in info.items()}
    date = _xmp_date(created)
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{x['/Title']}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{x['/Author']}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{x['/Subject']}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{"zh-CN" if lang == "zh" else "en"}</rdf:li></rdf:Bag></dc:language>
<pdf:Keywords>{x['/Keywords']}</pdf:Keywords>
<pdf:Producer>{x['/Producer']}</pdf:Producer>
<xmp:CreatorTool>{x['/Creator']}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<pdfaid:part>3</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return body.encode("utf-8")


def _attach(writer, attachment: Attachment, created: datetime) -> generic.IndirectObject:
    stream = EmbeddedFileObject.from_file_data(
        writer, attachment.data, mime_type=attachment.mime_type,
        params=EmbeddedFileParams(creation_date=created, modification_date=created))
    spec = FileSpec(file_spec_string=attachment.name, file_name=attachment.name, embedded_data=stream,
                    description=attachment.description, af_relationship=pdf_name(attachment.relationship))
    return writer.add_object(spec.as_pdf_object())


def finish_report(pdf: bytes, *, slots: list[ReservedSlot], attachments: list[Attachment], created: datetime,
                  lang: str) -> bytes:
    """ReportLab's PDF as a PDF/A-3b record with its signature places reserved and its data attached."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    writer = copy_into_new_writer(reader)
    # Our own /Info and XMP, written once and kept equal (pyHanko would stamp "now" on both).
    writer._update_meta = lambda: None           # noqa: SLF001 (no public switch in pyHanko)
    digest = hashlib.sha256(pdf).digest()
    writer._document_id = generic.ArrayObject([generic.ByteStringObject(digest[:16])] * 2)  # noqa: SLF001
    source_info = reader.trailer_view["/Info"].get_object()
    info = {key: str(source_info.get(key, "")) for key in ("/Title", "/Author", "/Subject", "/Keywords", "/Creator")}
    info["/Producer"] = VENDOR                   # what pyHanko writes on every later signature, unchanged
    info_dict = generic.DictionaryObject({pdf_name(k): pdf_string(v) for k, v in info.items()})
    info_dict[pdf_name("/CreationDate")] = pdf_string(_pdf_date(created))
    info_dict[pdf_name("/ModDate")] = pdf_string(_pdf_date(created))
    writer.set_info(info_dict)
    root = writer.root
    root["/Metadata"] = writer.add_object(MetadataStream(stream_data=xmp_packet(info, created, lang)))
    root["/Lang"] = pdf_string("zh-CN" if lang == "zh" else "en")
    icc = generic.StreamObject({pdf_name("/N"): generic.NumberObject(3)}, stream_data=ICC_PROFILE.read_bytes())
    root["/OutputIntents"] = generic.ArrayObject([generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/OutputIntent"), pdf_name("/S"): pdf_name("/GTS_PDFA1"),
        pdf_name("/OutputConditionIdentifier"): pdf_string("sRGB IEC61966-2.1"),
        pdf_name("/Info"): pdf_string("sRGB IEC61966-2.1"),
        pdf_name("/DestOutputProfile"): writer.add_object(icc)})])
    specs = [_attach(writer, a, created) for a in attachments]
    names = generic.ArrayObject()
    for attachment, ref in sorted(zip(attachments, specs, strict=True), key=lambda pair: pair[0].name):
        names += [pdf_string(attachment.name), ref]
    root["/Names"] = generic.DictionaryObject({pdf_name("/EmbeddedFiles"): generic.DictionaryObject(
        {pdf_name("/Names"): names})})
    root["/AF"] = generic.ArrayObject(specs)
    names_all = [s.field_name for s in slots]
    for slot in slots:
        others = [n for n in names_all if n != slot.field_name]
        fields.append_signature_field(writer, fields.SigFieldSpec(
            sig_field_name=slot.field_name, on_page=slot.page_index, box=tuple(round(v) for v in slot.box),
            readable_field_name=slot.label,
            field_mdp_spec=fields.FieldMDPSpec(fields.FieldMDPAction.EXCLUDE, others)))
    for _, _, field_ref in fields.enumerate_sig_fields(writer):   # widgets must print (PDF/A 6.3.2)
        field = field_ref.get_object()
        field["/F"] = generic.NumberObject(WIDGET_PRINT)
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attachments_of(pdf: bytes) -> dict[str, bytes]:
    """Every embedded file of a report, by name (for `abc-mdt report --extract-case`)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        tree = reader.root.get("/Names", generic.DictionaryObject()).get("/EmbeddedFiles")
    except (PdfError, ValueError, OSError, KeyError) as exc:
        raise ValueError(f"not a readable PDF: {exc}") from None
    if tree is None:
        return {}
    pairs = list(tree.get_object().get("/Names", []))
    found = {}
    for name, spec in zip(pairs[::2], pairs[1::2], strict=False):
        stream = spec.get_object()["/EF"]["/F"].get_object()
        found[str(name)] = stream.data
    return found
