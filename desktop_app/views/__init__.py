"""The board's views beyond the one case (issues 16 and 17): lists and audit log, FHIR and archive exchange,
meeting agenda and present mode, follow-up worklist, concordance audit, guideline-edition impact.

One module per view. Each renders what a core function returns (guideline_db.interop, guideline_db.workflow)
and holds no clinical or export logic of its own; its table model has COL_* constants and `set_rows()`, so
tests check the rows without a window. `menus.install(window)` adds their entries to the main window.
"""
