"""What each revision of a signed report changed: only filling a reserved signature place is allowed.

Why our own check and not only pyHanko's difference analysis: pyHanko accepts a later revision that
adds a new, unsigned signature field as "form filling" — and that field's appearance can paint a
different decision over the signed page (the attack in issue 12). The report reserves its signature
places when it is rendered (`reports.archive`), so after the first signature the only legitimate
revision is one that puts a signature into one of those empty places (and, for B-LT, one that only
adds revocation data to /DSS). Every object a later revision overwrites is named and judged:

- the catalog may gain /Perms (the certification) and /DSS and nothing else;
- the AcroForm dictionary may change its /SigFlags only — its /Fields array never;
- a reserved place may gain its /V (the signature) and /AP (the stamp), once, if it was empty;
- the document information and the XMP packet may change (modification date, producer);
- anything else overwritten — a page, a content stream, an annotation list, a field, the page
  tree — is an alteration, reported with the revision number and what it touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

CATALOG_ALLOWED = {"/Perms", "/DSS", "/Metadata", "/Version", "/Extensions"}
ACROFORM_ALLOWED = {"/SigFlags"}
SLOT_ALLOWED = {"/V", "/AP", "/MK", "/F"}
LT_ONLY_CATALOG = {"/DSS", "/Metadata", "/Version", "/Extensions"}


@dataclass(frozen=True)
class RevisionChange:
    """One revision after the first signature: what it did and whether that is allowed."""
    revision: int                    # 0-based, as pyHanko counts
    kind: str                        # "signature" | "revocation data" | "alteration"
    description: str
    allowed: bool


def _key_set(obj) -> set[str]:
    return {str(k) for k in obj} if isinstance(obj, generic.DictionaryObject) else set()


def _changed_keys(old, new) -> set[str]:
    if not isinstance(old, generic.DictionaryObject) or not isinstance(new, generic.DictionaryObject):
        return {"<type>"}
    keys = _key_set(old) | _key_set(new)
    return {k for k in keys if k not in old or k not in new or _raw(old.raw_get(k)) != _raw(new.raw_get(k))}


def _raw(value):
    """A comparable form of a PDF value (references compared by number, not by content)."""
    if isinstance(value, generic.IndirectObject):
        return ("ref", value.idnum, value.generation)
    if isinstance(value, generic.DictionaryObject):
        return tuple(sorted((str(k), _raw(value.raw_get(k))) for k in value))
    if isinstance(value, generic.ArrayObject):
        return tuple(_raw(value.raw_get(i)) for i in range(len(value)))
    return repr(value)


def _describe_objects(resolver) -> dict[tuple[int, int], str]:
    """Human names for the objects of one revision: pages, their contents and annotations, fields."""
    names: dict[tuple[int, int], str] = {}
    root = resolver.root
    names[(resolver.root_ref.idnum, resolver.root_ref.generation)] = "the document catalog"

    def name(ref, text):
        if isinstance(ref, generic.IndirectObject):
            names.setdefault((ref.idnum, ref.generation), text)

    pages = root.raw_get("/Pages")
    name(pages, "the page tree")
    page_number = 0

    def walk(node_ref):
        nonlocal page_number
        node = node_ref.get_object()
        if str(node.get("/Type", "")) == "/Pages":
            name(node_ref, "the page tree")
            for kid in node.raw_get("/Kids") if "/Kids" in node else []:
                walk(kid)
            return
        page_number += 1
        name(node_ref, f"page {page_number}")
        contents = node.raw_get("/Contents") if "/Contents" in node else None
        if isinstance(contents, generic.IndirectObject):
            name(contents, f"the content of page {page_number}")
            contents = contents.get_object()
        if isinstance(contents, generic.ArrayObject):
            for item in list.__iter__(contents):
                name(item, f"the content of page {page_number}")
        annots = node.raw_get("/Annots") if "/Annots" in node else None
        name(annots, f"the annotation list of page {page_number}")
        if annots is not None:
            for item in list.__iter__(annots.get_object()):
                name(item, f"an annotation on page {page_number}")
        resources = node.raw_get("/Resources") if "/Resources" in node else None
        name(resources, f"the resources of page {page_number}")

    if isinstance(pages, generic.IndirectObject):
        walk(pages)
    form = root.raw_get("/AcroForm") if "/AcroForm" in root else None
    name(form, "the form (AcroForm)")
    if form is not None:
        fields = form.get_object().raw_get("/Fields") if "/Fields" in form.get_object() else None
        name(fields, "the list of form fields")
        for item in list.__iter__(fields.get_object()) if fields is not None else []:
            field = item.get_object()
            name(item, f"the field {field.get('/T', '?')}")
    return names


def _empty_slots(resolver, reserved: set[str]) -> dict[tuple[int, int], str]:
    """Reserved signature fields of this revision still without a value: ref -> field name."""
    root = resolver.root
    if "/AcroForm" not in root:
        return {}
    form = root["/AcroForm"]
    found = {}
    for item in list.__iter__(form.get("/Fields", generic.ArrayObject())):
        field = item.get_object()
        title = str(field.get("/T", ""))
        if title in reserved and "/V" not in field and isinstance(item, generic.IndirectObject):
            found[(item.idnum, item.generation)] = title
    return found


def _dss_objects(resolver) -> set[tuple[int, int]]:
    """The /DSS dictionary and its arrays: revocation data a B-LT update may extend."""
    root = resolver.root
    if "/DSS" not in root:
        return set()
    found = set()
    dss = root.raw_get("/DSS")
    if isinstance(dss, generic.IndirectObject):
        found.add((dss.idnum, dss.generation))
    dss = dss.get_object()
    for key in ("/Certs", "/OCSPs", "/CRLs", "/VRI"):
        value = dss.raw_get(key) if key in dss else None
        if isinstance(value, generic.IndirectObject):
            found.add((value.idnum, value.generation))
    return found


def reserved_fields(reader: PdfFileReader) -> list[str]:
    """The signature fields present, empty, in the first revision: the report's reserved places."""
    first = reader.get_historical_resolver(0)
    root = first.root
    if "/AcroForm" not in root:
        return []
    out = []
    for item in list.__iter__(root["/AcroForm"].get("/Fields", generic.ArrayObject())):
        field = item.get_object()
        if str(field.get("/FT", "")) == "/Sig" and "/V" not in field:
            out.append(str(field.get("/T", "")))
    return out


def analyse(reader: PdfFileReader, first_signed_revision: int,
            signature_revisions: dict[int, str]) -> list[RevisionChange]:
    """Judge every revision after `first_signed_revision`.

    `signature_revisions` maps a revision number to the field name of the signature made in it
    (pyHanko's `EmbeddedPdfSignature.signed_revision`).
    """
    reserved = set(reserved_fields(reader))
    total = reader.xrefs.total_revisions
    changes = []
    for revision in range(first_signed_revision + 1, total):
        changes.append(_judge(reader, revision, reserved, signature_revisions.get(revision)))
    return changes


def _judge(reader: PdfFileReader, revision: int, reserved: set[str], signed_field: str | None) -> RevisionChange:
    before = reader.get_historical_resolver(revision - 1)
    after = reader.get_historical_resolver(revision)
    names = _describe_objects(before)
    empty = _empty_slots(before, reserved)
    info = before.trailer_view.raw_get("/Info") if "/Info" in before.trailer_view else None
    info_key = (info.idnum, info.generation) if isinstance(info, generic.IndirectObject) else None
    meta = before.root.raw_get("/Metadata") if "/Metadata" in before.root else None
    meta_key = (meta.idnum, meta.generation) if isinstance(meta, generic.IndirectObject) else None
    form = before.root.raw_get("/AcroForm") if "/AcroForm" in before.root else None
    form_key = (form.idnum, form.generation) if isinstance(form, generic.IndirectObject) else None
    root_key = (before.root_ref.idnum, before.root_ref.generation)
    dss_keys = _dss_objects(before)

    problems: list[str] = []
    filled: list[str] = []
    catalog_keys: set[str] = set()
    existing = set()
    dss_changed = False
    for ref in reader.xrefs.explicit_refs_in_revision(revision):
        key = (ref.idnum, ref.generation)
        if reader.xrefs.get_introducing_revision(ref) >= revision:
            continue                                   # a new object: judged by what refers to it
        existing.add(key)
        old, new = before.get_object(ref), after.get_object(ref)
        if key == root_key:
            catalog_keys = _changed_keys(old, new)
            bad = catalog_keys - CATALOG_ALLOWED
            if bad:
                problems.append(f"changes the document catalog ({', '.join(sorted(bad))})")
        elif key == form_key:
            bad = _changed_keys(old, new) - ACROFORM_ALLOWED
            if bad:
                problems.append(f"changes the form ({', '.join(sorted(bad))})" if "/Fields" not in bad
                                else "adds or removes form fields")
        elif key in dss_keys:
            dss_changed = True
        elif key in (info_key, meta_key):
            continue
        elif key in empty:
            bad = _changed_keys(old, new) - SLOT_ALLOWED
            if bad:
                problems.append(f"changes the reserved signature place {empty[key]} ({', '.join(sorted(bad))})")
            elif "/V" in new:
                filled.append(empty[key])
            else:
                problems.append(f"changes the empty signature place {empty[key]} without signing it")
        else:
            problems.append(f"changes {names.get(key, f'object {key[0]}')}")
    for ref in reader.xrefs.refs_freed_in_revision(revision):
        key = (ref.idnum, ref.generation)
        problems.append(f"deletes {names.get(key, f'object {key[0]}')}")
    if problems:
        return RevisionChange(revision, "alteration", "; ".join(dict.fromkeys(problems)), False)
    if len(filled) > 1:
        return RevisionChange(revision, "alteration", f"fills several signature places at once ({', '.join(filled)})",
                              False)
    if filled:
        if signed_field != filled[0]:
            return RevisionChange(revision, "alteration",
                                  f"puts a value into the signature place {filled[0]} that is not a signature "
                                  "made in this revision", False)
        return RevisionChange(revision, "signature", f"adds a signature into the reserved place {filled[0]}", True)
    if signed_field is not None:
        return RevisionChange(revision, "alteration", f"adds the signature {signed_field} outside the reserved places",
                              False)
    if (dss_changed and catalog_keys <= LT_ONLY_CATALOG) or (catalog_keys and catalog_keys <= LT_ONLY_CATALOG
                                                              and "/DSS" in catalog_keys):
        return RevisionChange(revision, "revocation data", "adds revocation data (/DSS) for long-term validation",
                              True)
    if not existing:
        return RevisionChange(revision, "alteration", "adds objects that no signature covers", False)
    return RevisionChange(revision, "alteration", "changes the document information without a signature", False)
