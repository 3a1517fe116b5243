"""`make bench` rows of issue 17: the agenda of a 30-case meeting (≤ 1 s), the concordance audit over 10,000
stored cases (≤ 5 s) and the guideline-edition impact over the same 10,000 (≤ 30 s, beside the batch
re-evaluation figure: impact is two evaluations per case plus reading the store).

The agenda reads every stored case to find a meeting's (the store's case list has no meeting date), so its
time grows with the store: the target row uses a store of 33 meetings of 30 cases (990), the informational
row the 10,000-case store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
STORE_CASES = 10000
MEETINGS = 333          # 30 cases per weekly meeting: six years of meetings, many quarters
AGENDA_MEETINGS = 33    # the agenda store: 990 cases


def _figure(name: str, samples: list[float], unit: str, target: float | None, baseline: list[float] | None = None,
            baseline_name: str = "") -> dict:
    from run import figure

    return figure(name, samples, unit, target, baseline, baseline_name)


def _seconds(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def bench_workflow(results: list[dict]) -> list[dict]:
    """The rows, measured in a fresh process (the GUI rows before it load Qt, and impact forks its workers only
    from a process without Qt), with the batch re-evaluation figure of `results` beside the impact rows."""
    done = subprocess.run([sys.executable, str(Path(__file__)), "--json"], capture_output=True, text=True, check=True,
                          timeout=1800)
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    batch = next((r for r in results if r.get("name", "").startswith("batch:")), None)
    for row in rows:
        if "impact" in row["name"] and batch and batch.get("median"):
            row["batch_median"] = batch["median"]   # the batch re-evaluation figure of the same run
            row["ratio_to_batch"] = row["median"] / batch["median"]
    return rows


def _measure() -> list[dict]:
    from workflow_population import build_other_edition, meeting_dates, population

    from guideline_db.engine import evaluate
    from guideline_db.store import CaseStore
    from guideline_db.workflow.agenda import agenda_items
    from guideline_db.workflow.concordance import concordance
    from guideline_db.workflow.impact import edition_impact, open_other_edition
    from guideline_db.workflow.stored import stored_cases
    from reports.workflow_pdf import build_agenda_pdf, build_concordance_pdf

    out = []
    with tempfile.TemporaryDirectory() as folder:
        for count, meetings, target in ((AGENDA_MEETINGS * 30, AGENDA_MEETINGS, 1000.0), (STORE_CASES, MEETINGS, None)):
            path = Path(folder) / f"cases-{count}.sqlite"
            with CaseStore.open(path, mounts_file=None, user="bench") as store:
                store.save_many(population(count, meetings), author="bench")
            day = meeting_dates(meetings)[meetings // 2]
            with CaseStore.open(path, read_only=True) as store:
                listing = [_seconds(lambda s=store: s.list_cases(limit=None))[0] * 1000 for _ in range(3)]
                agenda = []
                for _ in range(3):
                    seconds, items = _seconds(lambda s=store, d=day: agenda_items(s, d, "zh"))
                    agenda.append(seconds * 1000)
            out.append(_figure(f"workflow: agenda of a {len(items)}-case meeting ({count} stored)",
                               agenda, "ms", target, listing, "list every stored case"))
        pdf = [_seconds(lambda i=items, d=day: build_agenda_pdf(i, d, "zh", {}))[0] * 1000 for _ in range(3)]
        out.append(_figure(f"workflow: agenda PDF ({len(items)} cases)", pdf, "ms", None))
        with CaseStore.open(path, read_only=True) as store:
            seconds, report = _seconds(lambda s=store: concordance(s, date(2000, 1, 1), date(2100, 1, 1)))
            pdf_seconds, _ = _seconds(lambda r=report: build_concordance_pdf(r, "zh"))
            audited = len(report.decisions) + report.undocumented
            out.append(_figure(f"workflow: concordance over {audited} cases", [seconds * 1000], "ms", 5000.0))
            out.append(_figure(f"workflow: concordance over {audited} cases + its PDF", [(seconds + pdf_seconds) * 1000],
                               "ms", 5000.0))
            other = open_other_edition(build_other_edition(Path(folder) / "edition"))
            once, _ = _seconds(lambda s=store: [evaluate(c.case) for c in stored_cases(s)])
            single, impact = _seconds(lambda s=store: edition_impact(s, other))
            jobs = os.cpu_count() or 1
            split, _ = _seconds(lambda s=store: edition_impact(s, other, workers=jobs))
        for label, seconds in ((f"{jobs} processes (abc-mdt impact default)", split), ("1 process (the GUI)", single)):
            row = {"name": f"workflow: impact over {impact.cases_checked} cases, {label}", "unit": "s",
                   "median": seconds, "min": seconds, "max": seconds, "runs": 1, "target": 30.0,
                   "meets_target": seconds <= 30.0, "baseline": "read + evaluate each stored case once",
                   "baseline_median": once, "ratio": seconds / once, "patients_changed": len(impact.items)}
            out.append(row)
    return out


if __name__ == "__main__":   # alone: python bench/bench_workflow.py [--json] (no batch figure beside it)
    sys.path.insert(0, str(ROOT / "bench"))
    measured = _measure()
    if "--json" in sys.argv:
        print(json.dumps(measured))
        sys.exit(0)
    for result in measured:
        ratio = f"  {result['ratio']:.2f}x {result['baseline']}" if result.get("ratio") else ""
        print(f"{result['name'][:70]:70} {result['median']:10.1f} {result['unit']}  target {result.get('target')}{ratio}")
