"""Qt table models (Vorta habit: COL_* constants, translatable headers, set_rows(), testable without a window)."""
