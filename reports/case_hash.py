"""The case version hash printed on the report and bound into its signatures.

It is the case store's version hash (guideline_db.case_io.case_version_hash), so the hash on a signed PDF
names the stored version it was made from; the GUI compares it to refuse signing a stale preview.
"""

from guideline_db.case_io import canonical_case_json, case_version_hash

__all__ = ["canonical_case_json", "case_version_hash"]
