"""The board's workflow around the case (issue 17): patient timeline, meeting agenda, follow-up worklist,
concordance audit and guideline-edition impact. Pure Python over the case store's public API and the
engine; no Qt, no ReportLab (the PDFs are in `reports/`, the GUI renders the same objects).

    timeline_layout(case, evaluation, lang)      -> TimelineLayout   (workflow/timeline.py)
    agenda_items(store, meeting_date, lang)      -> list[AgendaItem] (workflow/agenda.py)
    due_items(store, before, lang)               -> list[DueItem]    (workflow/due.py)
    concordance(store, start, end)               -> Concordance      (workflow/concordance.py)
    edition_impact(store, new_db)                -> ImpactReport     (workflow/impact.py)
"""
