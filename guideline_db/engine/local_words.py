"""How a local-treatment reason names the metastatic site it rests on: 1-based and in words, never a field path."""

from __future__ import annotations

from guideline_db.vocabulary import load_vocabulary


def site_words(index: int, organ: str) -> tuple[str, str]:
    """('转移部位第1项（骨）', 'site 1 (bone)') for metastases[0] of organ bone."""
    v = load_vocabulary()
    return f"转移部位第{index + 1}项（{v.name(organ, 'zh')}）", f"site {index + 1} ({v.name(organ, 'en')})"
