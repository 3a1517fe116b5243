"""Search benchmark for the case store: fill a store with synthetic cases, time "as you type" queries.

Not a unit test on purpose: timings depend on the machine, so the suite checks behaviour and this
module measures. Usage:

    python -m guideline_db.store.bench --n 100000 [--store /tmp/bench.sqlite]

or from Python: `populate(store, n)` then `time_search(store, "wang")`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from guideline_db.case_io import parse_case
from guideline_db.case_model import Case
from guideline_db.store.case_store import CaseStore

SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
            "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo"]
GIVEN = ["Fang", "Min", "Jing", "Li", "Hua", "Ying", "Hong", "Yan", "Xia", "Lan", "Mei", "Juan", "Na", "Ping",
         "Qing", "Rong", "Shu", "Ting", "Wei", "Xiu"]
CHINESE_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
CHINESE_GIVEN = "芳敏静丽华英红燕霞兰梅娟娜萍青蓉淑婷伟秀"
RECEPTORS = [(90, 50, "1+", None), (0, 0, "3+", None), (0, 0, "0", None), (80, 20, "3+", None),
             (70, 0, "2+", "not_amplified")]
PRESENTATIONS = ["de_novo_stage_iv", "recurrent_metastatic"]
QUERIES = ("wa", "王", "wang f", "王芳", "H0012", "h00123", "bench-0004", "triple", "三阴", "her2 pos", "zzzz")


def _templates() -> list[Case]:
    """Valid cases of every subtype and presentation (the engine runs once per template, then is cached)."""
    cases = []
    for er, pr, ihc, ish in RECEPTORS:
        for presentation in PRESENTATIONS:
            cases.append(parse_case({
                "schema_version": 1, "case_id": "template", "evaluation_date": "2024-07-01",
                "patient": {"sex": "female", "age": 60, "menopausal_status": "post", "kps": 80},
                "presentation": presentation, "primary_diagnosis_date": "2020-05-01",
                "metastatic_diagnosis_date": "2024-05-01",
                "pathology": [{"specimen": "metastasis", "date": "2024-05-02", "er_percent": er, "pr_percent": pr,
                               "her2_ihc": ihc, **({"her2_ish": ish} if ish else {})}],
                "metastases": [{"organ": "liver", "lesion_count": 2}],
            }))
    return cases


def synthetic_case(templates: list[Case], index: int, rng: random.Random) -> Case:
    template = templates[index % len(templates)]
    if rng.random() < 0.3:
        name = rng.choice(CHINESE_SURNAMES) + "".join(rng.choice(CHINESE_GIVEN) for _ in range(rng.randint(1, 2)))
    else:
        name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}{rng.choice(GIVEN).lower()}"
    patient = template.patient.model_copy(update={"name": name, "hospital_id": f"H{index:07d}"})
    return template.model_copy(update={"case_id": f"bench-{index:06d}", "patient": patient})


def populate(store: CaseStore, n: int, *, batch: int = 2000, seed: int = 1, author: str = "bench") -> float:
    """Add `n` synthetic cases (one version each) in batched transactions; returns seconds taken."""
    rng = random.Random(seed)
    templates = _templates()
    start = time.perf_counter()
    existing = store.counts()["cases"]
    for first in range(existing, existing + n, batch):
        last = min(first + batch, existing + n)
        store.save_many([synthetic_case(templates, i, rng) for i in range(first, last)], author)
    return time.perf_counter() - start


@dataclass(frozen=True)
class SearchTiming:
    query: str
    results: int
    best_ms: float
    median_ms: float
    worst_ms: float

    def summary(self) -> str:
        return (f"{self.query!r:14} {self.results:4} results  best {self.best_ms:6.2f} ms  "
                f"median {self.median_ms:6.2f} ms  worst {self.worst_ms:6.2f} ms")


def time_search(store: CaseStore, query: str, *, repeat: int = 7, limit: int | None = 500) -> SearchTiming:
    """Time `store.list_cases(query)` as the GUI calls it (first call included: it is what a user feels)."""
    timings, results = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        results = len(store.list_cases(query, limit=limit))
        timings.append((time.perf_counter() - start) * 1000)
    return SearchTiming(query, results, min(timings), statistics.median(timings), max(timings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--store", type=Path, default=None, help="default: a temporary file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "bench.sqlite"
        with CaseStore.open(path, user="bench") as store:
            missing = args.n - store.counts()["cases"]
            if missing > 0:
                print(f"populating {missing} cases ...", flush=True)
                print(f"  {populate(store, missing):.1f} s")
            for query in QUERIES:
                print(time_search(store, query).summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
