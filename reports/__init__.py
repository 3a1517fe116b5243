"""PDF case summaries (ReportLab) and PAdES signatures (pyHanko). Never imports Qt."""
