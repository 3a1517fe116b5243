"""Guideline-edition impact: every stored case re-evaluated against another built edition of the guideline
database, and the patients whose systemic options, tiers or local actions would change, with the difference.

Why both hashes: the answer is only meaningful for these two exact files; the report names both editions
and SHA-256s, and whether each is the released database of this program. The other database is opened on
purpose (`open_guideline(path)`: its own .sha256 must match, and it is marked not released).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from guideline_db.case_model import Case
from guideline_db.database import GuidelineDatabase, open_guideline
from guideline_db.engine import Evaluation, evaluate
from guideline_db.store import CaseStore, StoreError
from guideline_db.workflow.stored import patient_label, stored_cases
from guideline_db.workflow.text import name

MAX_WORKERS = 32
CHANGE_KINDS = ("option_added", "option_removed", "tier_changed", "local_added", "local_removed")


@dataclass(frozen=True)
class Change:
    kind: str                # one of CHANGE_KINDS
    label_zh: str            # the option (or local site and action)
    label_en: str
    old: str = ""            # tier token before (tier_changed)
    new: str = ""            # tier token after

    def describe(self, lang: str) -> str:
        label = self.label_zh if lang == "zh" else self.label_en
        if self.kind == "tier_changed":
            arrow = f"{name(self.old, lang)} → {name(self.new, lang)}"
            return f"{label}：{arrow}" if lang == "zh" else f"{label}: {arrow}"
        if self.kind in ("option_added", "option_removed"):
            tier = name(self.new or self.old, lang)
            verb = {"option_added": ("新增方案", "new option"), "option_removed": ("不再列出", "no longer listed")}[self.kind]
            return (f"{verb[0]}：{label}（{tier}）" if lang == "zh" else f"{verb[1]}: {label} ({tier})")
        verb = {"local_added": ("新增局部处理", "new local action"),
                "local_removed": ("不再建议局部处理", "local action no longer listed")}[self.kind]
        return f"{verb[0]}：{label}" if lang == "zh" else f"{verb[1]}: {label}"


@dataclass(frozen=True)
class ImpactItem:
    case_id: str
    patient: str
    changes: tuple[Change, ...]

    def summary(self, lang: str = "en") -> str:
        return f"{self.case_id}: " + ("；" if lang == "zh" else "; ").join(c.describe(lang) for c in self.changes)


@dataclass(frozen=True)
class Edition:
    edition: str
    title: str
    sha256: str
    path: str
    released: bool

    @classmethod
    def of(cls, db: GuidelineDatabase) -> Edition:
        return cls(db.edition, db.title, db.sha256, str(db.path), db.released)


@dataclass(frozen=True)
class ImpactReport:
    current: Edition
    other: Edition
    cases_checked: int
    items: tuple[ImpactItem, ...]
    skipped: tuple[str, ...] = ()

    def summary(self, lang: str = "en") -> str:
        if lang == "zh":
            return (f"现用版本 {self.current.edition}（sha256 {self.current.sha256}）→ 对比版本 {self.other.edition}"
                    f"（sha256 {self.other.sha256}）：共复核{self.cases_checked}例，{len(self.items)}例推荐会改变")
        return (f"current edition {self.current.edition} (sha256 {self.current.sha256}) → other edition "
                f"{self.other.edition} (sha256 {self.other.sha256}): {self.cases_checked} cases re-evaluated, "
                f"{len(self.items)} would change")


def differences(before: Evaluation, after: Evaluation) -> list[Change]:
    """What changes in the systemic options (by guideline row id), their tiers, and the local actions."""
    old = {o.id: o for o in before.systemic}
    new = {o.id: o for o in after.systemic}
    changes = []
    for key, option in new.items():
        if key not in old:
            changes.append(Change("option_added", option.label_zh, option.label_en, new=str(option.tier)))
        elif str(old[key].tier) != str(option.tier):
            changes.append(Change("tier_changed", option.label_zh, option.label_en, str(old[key].tier), str(option.tier)))
    for key, option in old.items():
        if key not in new:
            changes.append(Change("option_removed", option.label_zh, option.label_en, old=str(option.tier)))
    local_old = {(item.site, a) for item in before.local for a in item.actions}
    local_new = {(item.site, a) for item in after.local for a in item.actions}
    for kind, pairs in (("local_added", local_new - local_old), ("local_removed", local_old - local_new)):
        for site, action in sorted(pairs):
            changes.append(Change(kind, f"{name(site, 'zh')}：{name(action, 'zh')}",
                                  f"{name(site, 'en')}: {name(action, 'en')}"))
    return changes


def open_other_edition(path: Path | str) -> GuidelineDatabase:
    """Another built guideline database, opened on purpose (its .sha256 sidecar must match when present)."""
    return open_guideline(Path(path).expanduser())


def edition_impact(store: CaseStore, other: GuidelineDatabase, current: GuidelineDatabase | None = None,
                   progress: Callable[[int, int], None] | None = None, workers: int = 1) -> ImpactReport:
    """Re-evaluate every stored case with `current` (default: the database in use) and `other`.

    `workers` > 1 splits the cases over that many forked processes (at most one per CPU, each opening the local
    store file read-only) when forking is safe: a single-threaded process without Qt (the CLI); otherwise — in
    the GUI, or with the hospital's server store — one process.
    """
    current = current or open_guideline()
    workers = min(workers, os.cpu_count() or 1, MAX_WORKERS)   # never more processes than CPUs
    if workers > 1 and _fork_is_safe() and Path(str(store.path)).is_file():   # a local store file, not a server
        return _parallel(store, other, current, progress, workers)
    items, skipped, checked = [], [], 0
    for stored in stored_cases(store, skipped, progress):
        checked += 1
        if (item := _item(stored.case, current, other)) is not None:
            items.append(item)
    return ImpactReport(Edition.of(current), Edition.of(other), checked, tuple(items), tuple(skipped))


def _item(case: Case, current: GuidelineDatabase, other: GuidelineDatabase) -> ImpactItem | None:
    changes = differences(evaluate(case, current), evaluate(case, other))
    return ImpactItem(case.case_id, patient_label(case), tuple(changes)) if changes else None


def _fork_is_safe() -> bool:
    return ("fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
            and not any(name.startswith("PySide6") for name in sys.modules))


def _chunk(store_path: str, case_ids: list[str], current_path: str, other_path: str):
    """One worker's share: (items, skipped case IDs) for `case_ids`."""
    current, other = open_guideline(Path(current_path)), open_guideline(Path(other_path))
    items, skipped = [], []
    with CaseStore.open(store_path, read_only=True) as store:
        for case_id in case_ids:
            try:
                case, _ = store.load(case_id)
            except StoreError:
                skipped.append(case_id)
                continue
            if (item := _item(case, current, other)) is not None:
                items.append(item)
    return items, skipped


def _parallel(store: CaseStore, other: GuidelineDatabase, current: GuidelineDatabase,
              progress: Callable[[int, int], None] | None, workers: int) -> ImpactReport:
    ids = sorted(s.case_id for s in store.list_cases(limit=None))
    size = max(1, -(-len(ids) // (workers * 4)))
    chunks = [ids[i:i + size] for i in range(0, len(ids), size)]
    items: list[ImpactItem] = []
    skipped: list[str] = []
    done = 0
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(_chunk, str(store.path), chunk, str(current.path), str(other.path)): len(chunk)
                   for chunk in chunks}
        for future in as_completed(futures):
            found, missed = future.result()
            items += found
            skipped += missed
            done += futures[future]
            if progress is not None:
                progress(done, len(ids))
    items.sort(key=lambda item: item.case_id)
    return ImpactReport(Edition.of(current), Edition.of(other), len(ids) - len(skipped), tuple(items),
                        tuple(sorted(skipped)))


def changed_kinds(report: ImpactReport) -> dict[str, int]:
    """How many patients have each kind of change (the report's overview line)."""
    counts = dict.fromkeys(CHANGE_KINDS, 0)
    for item in report.items:
        for kind in {c.kind for c in item.changes}:
            counts[kind] += 1
    return counts


__all__ = ["Change", "ImpactItem", "ImpactReport", "Edition", "edition_impact", "differences", "open_other_edition",
           "changed_kinds"]
