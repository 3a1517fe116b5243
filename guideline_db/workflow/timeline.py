"""The patient timeline as pure data: one layout, two renderers (ReportLab in reports/timeline_drawing.py,
QPainter in desktop_app/widgets/timeline_view.py).

Coordinates: `x` is a fraction of the plot width (0 = first day shown, 1 = last); rows are whole lanes
counted from the top of each band (markers, therapies, specimens, windows). Every therapy gets a lane of
its own extent — the bar and the label above it, whose width is estimated at `LABEL_SIZE` points on a plot
`REFERENCE_WIDTH` points wide — so no two items of a lane overlap at that width or wider; a renderer
drawing narrower shrinks the text to the reserved extent (`label_x1`). A history needing more than MAX_LANES
labelled lanes is packed by its bars alone (`bar_labels` False), and a renderer may scale the whole down.

The endocrine-resistance windows (the first N months of adjuvant endocrine therapy, the first M months of
the first endocrine line for advanced disease) and the trastuzumab-free interval are drawn from the same
thresholds the engine decides with (`Thresholds`), and carry the engine's verdict, so the board sees why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from guideline_db.case_model import Case, Therapy
from guideline_db.database import GuidelineDatabase, open_guideline
from guideline_db.engine import Evaluation, engine_for, evaluate
from guideline_db.engine.dates import add_months, months_between
from guideline_db.engine.therapy_history import TherapyReader, relapse_date
from guideline_db.workflow.text import line_name, name

REFERENCE_WIDTH = 480.0     # points: the narrowest plot the lanes are packed for (A4 frame minus the legend)
LABEL_SIZE = 6.5            # points
GAP = 0.006                 # fraction of the width kept free between two items of one lane
MIN_BAR = 0.004             # a one-day therapy is still visible
POINT_GAP = 0.008           # between a point (date line, specimen) and a label ending at it
MAX_LANES = 12              # more labelled lanes than this: bars are packed without their labels


@dataclass(frozen=True)
class TimelineBar:
    index: int               # position in case.therapies
    setting: str
    line: int | None
    label: str               # "第1线 来曲唑+哌柏西利" / "line 1 Letrozole+Palbociclib"
    start: date
    end: date                # end, else progression, else the evaluation date (open_ended)
    open_ended: bool
    progression: date | None
    progression_x: float | None
    row: int
    x0: float
    x1: float
    label_x0: float          # the extent reserved for the label above the bar (shifted left at the right edge)
    label_x1: float


@dataclass(frozen=True)
class TimelineMarker:
    kind: str                # primary_diagnosis | metastatic_diagnosis | evaluation | meeting
    day: date
    x: float
    label: str
    row: int                 # lane of the marker-label band
    label_x0: float
    label_x1: float


@dataclass(frozen=True)
class SpecimenMark:
    specimen: str
    day: date
    x: float
    label: str               # "原发灶标本 ER 90% PR 50% HER-2 1+"
    row: int
    label_x0: float
    label_x1: float


@dataclass(frozen=True)
class TimelineWindow:
    kind: str                # endocrine_adjuvant | endocrine_first_line | trastuzumab_free_interval
    start: date
    end: date
    x0: float
    x1: float
    label: str               # what the window is, with its threshold
    verdict: str             # the engine's conclusion (the fact's value in the reader's words)
    event: date | None       # the relapse / progression judged against the window
    event_x: float | None
    inside: bool | None      # the event falls inside the window
    row: int
    label_x0: float
    label_x1: float


@dataclass(frozen=True)
class Tick:
    day: date
    x: float
    label: str


@dataclass(frozen=True)
class TimelineLayout:
    lang: str
    start: date
    end: date
    bars: tuple[TimelineBar, ...]
    markers: tuple[TimelineMarker, ...]
    specimens: tuple[SpecimenMark, ...]
    windows: tuple[TimelineWindow, ...]
    ticks: tuple[Tick, ...]
    marker_rows: int
    bar_rows: int
    specimen_rows: int
    window_rows: int
    bar_labels: bool = True     # False: too many concurrent therapies for labelled lanes; bars only

    @property
    def empty(self) -> bool:
        return not (self.bars or self.specimens or self.windows)

    def summary(self) -> str:
        return (f"{len(self.bars)} therapies in {self.bar_rows} lanes, {len(self.specimens)} specimens, "
                f"{len(self.windows)} windows, {self.start} to {self.end}")


def estimate_width(text: str, size: float = LABEL_SIZE) -> float:
    """Width in points: CJK characters one em, others about 0.6 em (DejaVu Sans averages ~0.55)."""
    return sum(size if ord(c) >= 0x2E80 else 0.6 * size for c in text)


class _Lanes:
    """First-fit packing of [x0, x1] extents into lanes."""

    def __init__(self) -> None:
        self.ends: list[float] = []

    def place(self, x0: float, x1: float) -> int:
        for row, end in enumerate(self.ends):
            if end + GAP <= x0:
                self.ends[row] = x1
                return row
        self.ends.append(x1)
        return len(self.ends) - 1


def _progressed(therapy: Therapy) -> date | None:
    if therapy.progression_date:
        return therapy.progression_date
    return therapy.end if therapy.stop_reason == "progression" else None


def _receptor_text(spec, lang: str) -> str:
    parts = []
    if spec.er_percent is not None:
        parts.append(f"ER {spec.er_percent:g}%")
    if spec.pr_percent is not None:
        parts.append(f"PR {spec.pr_percent:g}%")
    if spec.her2_ihc is not None:
        her2 = name(spec.her2_ihc, lang) if spec.her2_ihc == "ultralow" else spec.her2_ihc
        parts.append(f"HER-2 {her2}")
    if spec.her2_ish is not None:
        parts.append("ISH+" if spec.her2_ish == "amplified" else "ISH−")
    if spec.ki67_percent is not None:
        parts.append(f"Ki-67 {spec.ki67_percent:g}%")
    return " ".join(parts)


def _months_text(months: float, lang: str) -> str:
    if months % 12 == 0:
        years = int(months // 12)
        return f"{years}年" if lang == "zh" else f"{years} year{'s' if years != 1 else ''}"
    return f"{months:g}个月" if lang == "zh" else f"{months:g} months"


def _windows(case: Case, evaluation: Evaluation, db: GuidelineDatabase | None, lang: str) -> list[dict]:
    """The derived windows as dicts (dates, label, verdict, event) before they are placed."""
    engine = engine_for(db or open_guideline())
    thresholds, reader = engine.thresholds, TherapyReader(engine.vocabulary)
    relapse = relapse_date(case)
    status_fact = evaluation.facts.get("endocrine_status")
    status = status_fact.value if status_fact is not None else None
    deciding = ""    # which window the engine's primary-resistance rule fired on (from the fact's inputs)
    if status == "primary_resistance" and status_fact is not None:
        deciding = "endocrine_adjuvant" if "adjuvant_start" in status_fact.inputs else "endocrine_first_line"

    def verdict(kind: str, start: date, end: date, event: date | None) -> str:
        if kind == deciding:
            return name("primary_resistance", lang)
        if event is None:
            return "未记录进展" if lang == "zh" else "no progression recorded"
        if not start <= event < end:
            return "在窗外" if lang == "zh" else "outside the window"
        return name(str(status), lang) if status else ""
    out: list[dict] = []
    adjuvant = [t for t in case.therapies if t.setting != "advanced" and reader.is_endocrine(t)]
    if adjuvant:
        months = thresholds["primary_resistance_adjuvant_months"].value
        start = min(t.start for t in adjuvant)
        end = add_months(start, int(months))
        label = (f"辅助内分泌治疗前{_months_text(months, lang)}（原发性耐药窗）" if lang == "zh"
                 else f"first {_months_text(months, lang)} of adjuvant endocrine therapy (primary-resistance window)")
        out.append({"kind": "endocrine_adjuvant", "start": start, "end": end, "label": label,
                    "verdict": verdict("endocrine_adjuvant", start, end, relapse),
                    "event": relapse})
    advanced = sorted((t for t in case.therapies if t.setting == "advanced" and reader.is_endocrine(t)),
                      key=lambda t: t.line or 0)
    if advanced:
        months = thresholds["primary_resistance_first_line_months"].value
        first = advanced[0]
        label = (f"首个晚期内分泌治疗前{_months_text(months, lang)}（原发性耐药窗）" if lang == "zh"
                 else f"first {_months_text(months, lang)} of the first advanced endocrine line (primary-resistance window)")
        end = add_months(first.start, int(months))
        out.append({"kind": "endocrine_first_line", "start": first.start, "end": end, "label": label,
                    "verdict": verdict("endocrine_first_line", first.start, end, _progressed(first)),
                    "event": _progressed(first)})
    tfi = evaluation.facts.get("trastuzumab_free_interval_months")
    if tfi is not None and tfi.value is not None and tfi.inputs.get("trastuzumab_end") and tfi.inputs.get("relapse"):
        cut = thresholds["trastuzumab_free_interval_months"]
        end_of_trastuzumab = tfi.inputs["trastuzumab_end"]
        relapse_day = tfi.inputs["relapse"]
        shown = cut.shown_zh if lang == "zh" else cut.shown
        label = (f"曲妥珠单抗无治疗间期 {tfi.value:g}个月（界值{shown}）" if lang == "zh"
                 else f"trastuzumab-free interval {tfi.value:g} months (cut-off {shown})")
        within = cut.holds(months_between(end_of_trastuzumab, relapse_day))
        verdict_tfi = (("界值内" if within else "超过界值") if lang == "zh" else ("within the cut-off" if within else "beyond the cut-off"))
        out.append({"kind": "trastuzumab_free_interval", "start": end_of_trastuzumab,
                    "end": add_months(end_of_trastuzumab, int(cut.value)), "label": label, "verdict": verdict_tfi,
                    "event": relapse_day})
    return out


def timeline_layout(case: Case, evaluation: Evaluation | None = None, lang: str = "zh",
                    db: GuidelineDatabase | None = None) -> TimelineLayout:
    """The timeline of `case` in the reader's language (`evaluation` defaults to evaluating it)."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    evaluation = evaluation or evaluate(case, db)
    vocabulary = engine_for(db or open_guideline()).vocabulary
    today = case.today
    events: list[tuple[str, date]] = []
    if case.primary_diagnosis_date:
        events.append(("primary_diagnosis", case.primary_diagnosis_date))
    if case.metastatic_diagnosis_date:
        events.append(("metastatic_diagnosis", case.metastatic_diagnosis_date))
    if case.mdt and case.mdt.meeting_date and case.mdt.meeting_date != today:
        events.append(("meeting", case.mdt.meeting_date))
    events.append(("evaluation", today))
    windows = _windows(case, evaluation, db, lang)
    days = [d for _, d in events] + [t.start for t in case.therapies] + [t.end for t in case.therapies if t.end]
    days += [t.progression_date for t in case.therapies if t.progression_date]
    days += [s.date for s in case.pathology if s.date]
    days += [w["start"] for w in windows] + [w["end"] for w in windows]
    first, last = min(days), max(days)
    pad = max(timedelta(days=15), (last - first) * 0.02)
    start, end = first - pad, last + pad
    span = (end - start).days

    def x(day: date) -> float:
        return (day - start).days / span

    def label_span(x0: float, text: str, point: bool = False) -> tuple[float, float]:
        """The label's extent: from x0 rightwards, or — when that runs past the right edge — ending at the
        point itself for a point item (a date line, a specimen), else at the right edge."""
        width = estimate_width(text) / REFERENCE_WIDTH
        if x0 + width <= 1.0:
            return x0, x0 + width
        left = x0 - POINT_GAP - width if point and x0 - POINT_GAP - width >= 0 else max(0.0, 1.0 - width)
        return left, left + width

    # markers: same-day events share one marker
    by_day: dict[date, list[str]] = {}
    for kind, day in events:
        by_day.setdefault(day, []).append(kind)
    lanes, markers = _Lanes(), []
    for day in sorted(by_day):
        kinds = by_day[day]
        text = "/".join(name(k, lang) for k in kinds) + f" {day}"
        x0 = x(day)
        lx0, lx1 = label_span(x0, text, point=True)
        row = lanes.place(lx0, lx1)
        markers.append(TimelineMarker("+".join(kinds), day, x0, text, row, lx0, lx1))
    marker_rows = len(lanes.ends)

    bars, bar_rows, bar_labels = _place_bars(case, x, label_span, lambda a: vocabulary.name(a, lang), today, lang)

    lanes, specimens = _Lanes(), []
    for spec in sorted((s for s in case.pathology if s.date), key=lambda s: s.date):
        text = f"{name('specimen_' + spec.specimen, lang)} {_receptor_text(spec, lang)}".strip()
        x0 = x(spec.date)
        lx0, lx1 = label_span(x0, text, point=True)
        row = lanes.place(lx0, lx1)
        specimens.append(SpecimenMark(spec.specimen, spec.date, x0, text, row, lx0, lx1))
    specimen_rows = len(lanes.ends)

    lanes, placed = _Lanes(), []
    for w in windows:
        text = f"{w['label']} → {w['verdict']}" if w["verdict"] else w["label"]
        x0, x1 = x(w["start"]), x(w["end"])
        lx0, lx1 = label_span(x0, text)
        row = lanes.place(min(x0, lx0), max(x1, lx1))
        event = w["event"]
        inside = None if event is None else w["start"] <= event < w["end"]
        placed.append(TimelineWindow(w["kind"], w["start"], w["end"], x0, x1, text, w["verdict"], event,
                                     x(event) if event else None, inside, row, lx0, lx1))
    window_rows = len(lanes.ends)
    return TimelineLayout(lang, start, end, bars, tuple(markers), tuple(specimens), tuple(placed),
                          _ticks(start, end, x), marker_rows, bar_rows, specimen_rows, window_rows, bar_labels)


def _place_bars(case: Case, x, label_span, agent_name, today: date, lang: str):
    """The therapy bars packed into lanes with their labels; a history too crowded for MAX_LANES labelled
    lanes is packed by the bars alone (labels hidden: `bar_labels` False, the texts kept for tooltips)."""
    order = sorted(enumerate(case.therapies), key=lambda it: (it[1].start, it[0]))
    for labelled in (True, False):
        lanes, bars = _Lanes(), []
        for index, therapy in order:
            progressed = _progressed(therapy)
            stop = therapy.end or progressed or today
            head = (line_name(therapy.line, lang) if therapy.setting == "advanced" and therapy.line
                    else name(therapy.setting, lang))
            text = f"{head} " + "+".join(agent_name(a) for a in therapy.agents)
            x0, x1 = x(therapy.start), max(x(stop), x(therapy.start) + MIN_BAR)
            lx0, lx1 = label_span(x0, text) if labelled else (x0, x0)
            row = lanes.place(min(x0, lx0), max(x1, lx1))
            bars.append(TimelineBar(index, therapy.setting, therapy.line, text, therapy.start, stop,
                                    therapy.end is None and progressed is None, progressed,
                                    x(progressed) if progressed else None, row, x0, x1, lx0, lx1))
        if len(lanes.ends) <= MAX_LANES:
            break
    return tuple(bars), len(lanes.ends), labelled


def _ticks(start: date, end: date, x) -> tuple[Tick, ...]:
    """Year ticks, or quarter ticks for a history shorter than three years."""
    years = (end - start).days / 365.25
    step = 3 if years < 3 else (12 if years < 12 else 24)
    day = date(start.year, 1, 1)
    ticks = []
    while day <= end:
        if day >= start:
            label = str(day.year) if day.month == 1 else f"{day.year}-{day.month:02d}"
            ticks.append(Tick(day, x(day), label))
        day = add_months(day, step)
    return tuple(ticks)
