"""A signed PDF against the case store's record of its signatures: is a later signature missing?

Why: a PDF cut back to the revision before the chair's signature is still a valid, intact PDF —
the file alone cannot prove a signature that is not in it. The case store records every signature
made through the app (`CaseStore.mark_signed`: the SHA-256 of the signed PDF, the signer, the
meaning), so `abc-mdt verify --store` compares: each signature of this file ends a revision whose
bytes hash to a recorded PDF; a recorded signature of the same case version whose PDF is none of
this file's revisions, and that came after the last one this file carries, is missing here.
"""

from __future__ import annotations

import hashlib
import io

from pyhanko.pdf_utils.reader import PdfFileReader

from reports.signature_area import KEYWORD_CASE_HASH, KEYWORD_CASE_ID
from reports.signing import report_keywords


def revision_hashes(pdf_bytes: bytes) -> set[str]:
    """SHA-256 of the file as it was right after each of its signatures (and of the whole file)."""
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    hashes = {hashlib.sha256(pdf_bytes).hexdigest()}
    for signature in reader.embedded_signatures:
        _, _, start, length = signature.byte_range
        hashes.add(hashlib.sha256(pdf_bytes[:start + length]).hexdigest())
    return hashes


def missing_signatures(pdf_bytes: bytes, store) -> list[str]:
    """Sentences naming the recorded signatures of this case version that this file lacks.

    `store` is an open `guideline_db.store.CaseStore` (read-only is enough)."""
    from guideline_db.store.errors import CaseNotFoundError
    from reports.signing import SigningError

    try:
        keywords = report_keywords(pdf_bytes)
    except SigningError as exc:      # not a readable PDF: verify already reports it as altered/invalid
        return [f"the case store cannot be consulted: {exc}"]
    case_id, case_hash = keywords.get(KEYWORD_CASE_ID), keywords.get(KEYWORD_CASE_HASH)
    if not case_id or not case_hash:
        return ["not an abc-mdt case summary: the case store cannot be consulted"]
    try:
        versions = store.versions(case_id)
    except CaseNotFoundError:
        return [f"the case store has no case {case_id}: its signatures cannot be cross-checked"]
    signed = [v for v in versions if v.status == "signed" and v.sha256 == case_hash and v.pdf_sha256]
    here = revision_hashes(pdf_bytes)
    carried = [v.version for v in signed if v.pdf_sha256 in here]
    last_carried = max(carried, default=0)
    later = [v for v in signed if v.pdf_sha256 not in here and v.version > last_carried]
    if not later:
        return []
    who = ", ".join(f"{v.author} ({v.note})" if v.note else v.author for v in later)
    return [f"the case store records {len(later)} later signature(s) of this case version that this file does "
            f"not carry — {who}: this is an earlier state of the signed record (cut back, or not the latest copy)"]
