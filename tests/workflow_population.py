"""A store-sized population of generated cases for the workflow tests and `make bench` (issue 17).

Deterministic (one seed): four subtypes, lines 1-3, meetings every week across several quarters, decisions
that follow the guideline or deviate with a coded reason, chosen options taken from each case's own
evaluation, next-assessment dates around the meeting, some cases never decided.
"""

from __future__ import annotations

import atexit
import random
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from builders import base_case, build, therapy, with_receptors

from guideline_db.case_model import Case
from guideline_db.engine import evaluate

FIRST_MEETING = date(2024, 1, 3)     # a Wednesday; meetings weekly from here
RECEPTORS = [(90, 50, "low"), (90, 50, "zero"), (80, 20, "positive"), (0, 0, "positive"), (0, 0, "zero"),
             (0, 0, "low")]
LINES = {"hr": [["letrozole", "palbociclib"], ["fulvestrant"], ["capecitabine"]],
         "her2": [["trastuzumab", "pertuzumab", "docetaxel"], ["t_dxd"], ["pyrotinib", "capecitabine"]],
         "tnbc": [["paclitaxel"], ["gemcitabine", "cisplatin"], ["eribulin"]]}
REASONS = ["patient_preference", "performance_status_or_comorbidity", "drug_unavailable_or_not_reimbursed",
           "prior_toxicity", "clinical_trial", "guideline_silent", "other"]


def meeting_dates(count: int) -> list[date]:
    return [FIRST_MEETING + timedelta(weeks=n) for n in range(count)]


def population_case(index: int, meeting: date, rng: random.Random, decide: bool = True) -> Case:
    """One generated case reviewed at `meeting` (its evaluation date)."""
    er, pr, her2 = rng.choice(RECEPTORS)
    data = with_receptors(base_case(f"wf-{index:05d}"), er, pr, her2)
    data["evaluation_date"] = str(meeting)
    kind = "her2" if her2 == "positive" else ("hr" if er else "tnbc")
    prior = rng.choice([0, 0, 1, 1, 2])
    start = meeting - timedelta(days=120 + 240 * prior + rng.randrange(60))
    data["primary_diagnosis_date"] = data["metastatic_diagnosis_date"] = str(start - timedelta(days=20))
    data["pathology"][0]["date"] = str(start - timedelta(days=15))
    for line in range(1, prior + 1):
        end = start + timedelta(days=200)
        data["therapies"].append(therapy("advanced", LINES[kind][line - 1], str(start), str(end), line=line,
                                         progression=str(end)))
        start = end + timedelta(days=10)
    data["patient"]["name"] = f"患者{index}"
    data["mdt"] = {"meeting_date": str(meeting), "attendees": [{"name": "Dr A", "role": "medical_oncology"}]}
    case = build(data)
    if not decide or rng.random() < 0.1:
        return case
    evaluation = evaluate(case)
    options = list(evaluation.systemic)
    decision: dict = {"next_assessment_date": str(meeting + timedelta(days=rng.choice([42, 56, 84])))}
    if options and rng.random() < 0.8:
        chosen = rng.choice(options)
        decision.update(chosen_options=[chosen.sources[0].id if chosen.sources else chosen.id],
                        systemic=list(dict.fromkeys(a for a in chosen.components if a in AGENTS)),
                        follows_guideline=True)
    else:
        code = rng.choice(REASONS)
        decision.update(systemic=[rng.choice(sorted(AGENTS))], follows_guideline=False,
                        deviation_reason="见病历 / see notes", deviation_reason_code=code)
    data["mdt"]["decision"] = decision
    return build(data)


def population(count: int, meetings: int = 26, seed: int = 17) -> list[Case]:
    rng = random.Random(seed)
    dates = meeting_dates(meetings)
    return [population_case(i, dates[i % meetings], rng) for i in range(count)]


def _agents() -> frozenset[str]:
    from guideline_db.vocabulary import load_vocabulary

    return load_vocabulary().agent_tokens


AGENTS = _agents()


_BUILT: dict[tuple[int, int], tuple[Path, list[Case]]] = {}


def populated_store(count: int = 320, meetings: int = 40) -> tuple[Path, list[Case]]:
    """A store on disk (built once per test process, removed at exit) holding `population(count, meetings)`;
    open it read-only in tests that share it."""
    key = (count, meetings)
    if key not in _BUILT:
        from guideline_db.store import CaseStore

        folder = Path(tempfile.mkdtemp(prefix="abc-mdt-workflow-"))
        atexit.register(shutil.rmtree, folder, True)
        cases = population(count, meetings)
        with CaseStore.open(folder / "cases.sqlite", mounts_file=None, user="test") as store:
            store.save_many(cases, author="Dr Test")
        _BUILT[key] = (folder / "cases.sqlite", cases)
    return _BUILT[key]


RAISED_OPTION = "T8-L1-NAIVE-R1"   # fulvestrant + CDK4/6 inhibitor, first line endocrine-naive: recommended → preferred


def modified_sources(target: Path, modify: bool = True) -> Path:
    """A copy of the guideline sources in `target`, with one table cell's tier raised and the edition renamed
    unless `modify` is False (the baseline built from the same copy, so the two differ only there)."""
    import re

    from guideline_db import build

    sources = target / "sources"
    shutil.copytree(build.SOURCES_DIR, sources)
    if not modify:
        return sources
    table8 = sources / "regimens_table08.toml"
    text = table8.read_text(encoding="utf-8")
    block = re.search(r'id = "' + RAISED_OPTION + r'"\n(.*?\n)\n', text, re.S)
    assert block and 'tier = "recommended"' in block.group(0)
    table8.write_text(text.replace(block.group(0), block.group(0).replace('tier = "recommended"', 'tier = "preferred"')),
                      encoding="utf-8")
    meta = sources / "meta.toml"
    meta.write_text(re.sub(r'edition = "[^"]*"', 'edition = "2025-test"', meta.read_text(encoding="utf-8"), count=1),
                    encoding="utf-8")
    return sources


def build_other_edition(folder: Path, modify: bool = True) -> Path:
    from guideline_db import build

    output = folder / "guideline.sqlite"
    build.build(output, sources_dir=modified_sources(folder, modify))
    return output
