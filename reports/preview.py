"""A display copy of a signed report with the signature stamps painted into the pages.

Why: the stamps are the appearances of signature widgets, and PDFium — the engine behind QtPdf in
the desktop app — does not draw widget annotations, so a preview or printout from the app would show
empty signature places. The copy draws each widget's appearance stream as ordinary page content
and drops the widgets. It is for the screen and the printer only: it is not the signed file (its
signatures no longer cover it); the signed bytes are what is saved and verified.
"""

from __future__ import annotations

import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError


def _normalised(rect) -> tuple[float, float, float, float]:
    """left, bottom, right, top of a PDF rectangle, whichever corners it names (pyHanko writes
    appearance boxes as [0 h w 0])."""
    x1, y1, x2, y2 = (float(v) for v in rect)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def flatten_stamps(pdf: bytes) -> bytes:
    """`pdf` with every widget appearance drawn as page content; unchanged when it has no widgets
    (the reserved, still empty signature places are kept as they are)."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfError, ValueError):
        return pdf
    changed = False
    page_count = int(writer.root["/Pages"]["/Count"])
    for page_ix in range(page_count):
        page_ref, _ = writer.find_page_for_modification(page_ix)
        page = page_ref.get_object()
        annots = page.get("/Annots")
        if annots is None:
            continue
        kept = generic.ArrayObject()
        drawn = []
        for annot_ref in annots:
            annot = annot_ref.get_object()
            ap = annot.get("/AP") if annot.get("/Subtype") == "/Widget" else None
            unsigned_place = annot.get("/FT") == "/Sig" and "/V" not in annot   # a reserved place: empty
            if ap is None or "/N" not in ap or unsigned_place:
                kept.append(annot_ref)
                continue
            appearance = ap.raw_get("/N")
            if not isinstance(appearance, generic.IndirectObject):
                appearance = writer.add_object(appearance)   # a form XObject must be an indirect stream
            left, bottom, right, top = _normalised(annot["/Rect"])
            box_left, box_bottom, box_right, box_top = _normalised(appearance.get_object()["/BBox"])
            sx = (right - left) / ((box_right - box_left) or 1)
            sy = (top - bottom) / ((box_top - box_bottom) or 1)
            drawn.append((f"/ABCStamp{len(drawn)}", appearance, (sx, sy, left - box_left * sx,
                                                                 bottom - box_bottom * sy)))
        if not drawn:
            continue
        commands = b" ".join(b"q %g 0 0 %g %g %g cm %s Do Q" % (sx, sy, tx, ty, name.encode("ascii"))
                             for name, _, (sx, sy, tx, ty) in drawn)
        xobjects = generic.DictionaryObject({pdf_name(name): ref for name, ref, _ in drawn})
        # wrap the page's own content in q/Q first: it may leave the graphics state transformed
        writer.add_stream_to_page(page_ix, writer.add_object(generic.StreamObject(stream_data=b"q")), prepend=True)
        writer.add_stream_to_page(page_ix, writer.add_object(generic.StreamObject(stream_data=b"Q")))
        stream = writer.add_object(generic.StreamObject(stream_data=commands))
        writer.add_stream_to_page(page_ix, stream, resources=generic.DictionaryObject({pdf_name("/XObject"): xobjects}))
        page[pdf_name("/Annots")] = kept
        writer.update_container(page)
        changed = True
    if not changed:
        return pdf
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
