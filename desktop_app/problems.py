"""Validation problems as the GUI shows them: split into field path and message, message translated.

Why: `parse_case` reports `field.path: message` lines in English (the CLI's contract). The wizard
puts each message beside the widget of that field path, in the user's language. Known message
shapes are matched by pattern and re-worded through Qt's translation system; anything unforeseen is
shown as the validator wrote it, so no problem is ever hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop_app.qt import QT_TRANSLATE_NOOP, translate

CTX = "Problems"


@dataclass(frozen=True)
class Problem:
    path: str          # field path in the form's rows (e.g. "pathology[1].er_percent")
    message: str       # the validator's English text
    code: str = ""     # set for the form's own conversion problems

    def text(self) -> str:
        """The message in the current UI language."""
        return localise(self.message, self.code)


CODES = {
    "not_integer": QT_TRANSLATE_NOOP("Problems", "enter a whole number"),
    "not_number": QT_TRANSLATE_NOOP("Problems", "enter a number"),
}

# (regular expression over the English message, translatable template using {0}, {1} ... for groups)
PATTERNS: list[tuple[str, str]] = [
    (r"required field is missing", QT_TRANSLATE_NOOP("Problems", "required")),
    (r"unknown key .*", QT_TRANSLATE_NOOP("Problems", "unknown key (not part of the case format)")),
    (r"(.+) is not allowed; expected one of (.+)", QT_TRANSLATE_NOOP("Problems", "{0} is not allowed; choose one of {1}")),
    (r"case_id may contain only .*",
     QT_TRANSLATE_NOOP("Problems", "use only letters, digits, '.', '_' and '-' (1-64 characters)")),
    (r"not a real calendar date: (.+)", QT_TRANSLATE_NOOP("Problems", "{0} is not a real calendar date")),
    (r"expected a date written as YYYY-MM-DD", QT_TRANSLATE_NOOP("Problems", "write the date as YYYY-MM-DD")),
    (r"pregnancy_trimester is only allowed with pregnant: true",
     QT_TRANSLATE_NOOP("Problems", "a trimester is only given when the patient is pregnant")),
    (r"male patients have no menopausal status", QT_TRANSLATE_NOOP("Problems", "male patients have no menopausal status")),
    (r"(\w+) does not apply to a male patient", QT_TRANSLATE_NOOP("Problems", "does not apply to a male patient")),
    (r"KPS (\d+) disagrees with ECOG (\d) \(ECOG \d = KPS (\d+)-(\d+)\)",
     QT_TRANSLATE_NOOP("Problems", "KPS {0} disagrees with ECOG {1} (ECOG {1} = KPS {2}-{3})")),
    (r"date (\S+) is after evaluation_date \((\S+)\)",
     QT_TRANSLATE_NOOP("Problems", "{0} is after the evaluation date ({1})")),
    (r"date (\S+) is after today \((\S+)\)", QT_TRANSLATE_NOOP("Problems", "{0} is in the future (today is {1})")),
    (r"metastatic_diagnosis_date is before primary_diagnosis_date",
     QT_TRANSLATE_NOOP("Problems", "earlier than the primary diagnosis date")),
    (r"date is before start", QT_TRANSLATE_NOOP("Problems", "earlier than the start date")),
    (r"line is required for setting advanced", QT_TRANSLATE_NOOP("Problems", "required for advanced-disease therapy")),
    (r"advanced line (\d+) is already given in therapies\[(\d+)\]",
     QT_TRANSLATE_NOOP("Problems", "line {0} is already used by another therapy")),
    (r"line is only allowed for setting advanced.*",
     QT_TRANSLATE_NOOP("Problems", "a line number is only given for advanced-disease therapy")),
    (r"(\w+) details given for organ (\w+)", QT_TRANSLATE_NOOP("Problems", "details belong to another organ")),
    (r"unknown agent token '([^']*)'; nearest known: (.+)",
     QT_TRANSLATE_NOOP("Problems", "unknown drug '{0}'; did you mean {1}?")),
    (r"unknown agent token '([^']*)'", QT_TRANSLATE_NOOP("Problems", "unknown drug '{0}'")),
    (r"unknown local-treatment token '([^']*)'.*", QT_TRANSLATE_NOOP("Problems", "unknown local treatment '{0}'")),
    (r"a deviation reason is required .*",
     QT_TRANSLATE_NOOP("Problems", "required: the decision does not follow the guideline")),
    (r"Input should be greater than or equal to (\S+)", QT_TRANSLATE_NOOP("Problems", "must be at least {0}")),
    (r"Input should be less than or equal to (\S+)", QT_TRANSLATE_NOOP("Problems", "must be at most {0}")),
    (r"Input should be greater than (\S+)", QT_TRANSLATE_NOOP("Problems", "must be more than {0}")),
    (r"Input should be less than (\S+)", QT_TRANSLATE_NOOP("Problems", "must be less than {0}")),
    (r"Input should be a multiple of (\S+)", QT_TRANSLATE_NOOP("Problems", "must be a multiple of {0}")),
    (r"String should have at most (\d+) characters?", QT_TRANSLATE_NOOP("Problems", "at most {0} characters")),
    (r"String should have at least (\d+) characters?", QT_TRANSLATE_NOOP("Problems", "required")),
    (r"List should have at least 1 item.*", QT_TRANSLATE_NOOP("Problems", "add at least one")),
    (r"Input should be a valid integer.*", QT_TRANSLATE_NOOP("Problems", "enter a whole number")),
    (r"Input should be a valid number.*", QT_TRANSLATE_NOOP("Problems", "enter a number")),
]
_COMPILED = [(re.compile(rf"^{pattern}$"), template) for pattern, template in PATTERNS]


def localise(message: str, code: str = "") -> str:
    if code in CODES:
        return translate(CTX, CODES[code])
    for regex, template in _COMPILED:
        match = regex.match(message)
        if match:
            return translate(CTX, template).format(*match.groups())
    return message


def split_problem(line: str) -> tuple[str, str]:
    """'therapies[2].end: date is before start' → ('therapies[2].end', 'date is before start')."""
    path, sep, message = line.partition(": ")
    return (path, message) if sep else ("(case)", line)


def widget_path_candidates(path: str) -> list[str]:
    """The path itself, then its parents: an error on 'therapies[0].agents[1]' is shown at the
    agents field, one on 'metastases[0].bone' at the organ's sub-form."""
    candidates = [path]
    while True:
        trimmed = re.sub(r"(\[\d+\]|\.[^.\[\]]+)$", "", path)
        if trimmed == path or not trimmed:
            return candidates
        candidates.append(trimmed)
        path = trimmed
