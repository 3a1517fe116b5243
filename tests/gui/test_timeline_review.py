"""Issue 17, item 1 in the review step: the case's timeline is drawn above the evaluation (the core's layout,
painted by desktop_app/widgets/timeline_view.py), and hidden when there is no valid case to draw."""

from __future__ import annotations

from typing import Any


def test_the_review_step_draws_the_timeline_of_the_case_on_screen(window: Any) -> None:
    from desktop_app.main import load_demo_case

    window.editor.load_case(load_demo_case(), stored=False)
    window.editor.go_to(6)
    review = window.editor.review
    layout = review.timeline.timeline()
    case = window.editor.case
    assert layout is not None and sorted(b.index for b in layout.bars) == list(range(len(case.therapies)))
    assert layout.lang == "en" and review.timeline.isVisibleTo(review)
    review.show_evaluation(None, window.editor)
    assert review.timeline.timeline() is None and not review.timeline.isVisibleTo(review)
