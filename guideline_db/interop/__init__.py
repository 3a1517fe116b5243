"""Cases in and out of hospital systems: standard codes, HL7 FHIR R4 (mCODE STU4) bundles, CSV/JSON lists
and audit-log exports, and case archives. Pure Python, no Qt.

Core functions for the CLI and the GUI (see docs/fhir.md):

    codes.load_codes()                          the terminology table (codes.toml) as lookups
    fhir_export.case_to_bundle(case, ...)       a Case (+ its Evaluation) → FHIR Bundle dict
    fhir_export.export_case_file(path, out, ...)
    fhir_import.bundle_to_case(bundle)          → ImportResult(case, messages)
    fhir_check.check_bundle(bundle)             structural mCODE checks → list of Finding
    lists.case_list_rows(store) / write_rows()  the case list as CSV (UTF-8 with BOM) or JSON
    lists.audit_rows(store, case_id)            the audit log as rows (same writers)
    archive.export_archive(store, ids, out)     many cases in one zip, with per-case results
    archive.import_archive(store, path, author)
"""
