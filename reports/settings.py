"""Report settings (hospital and department names) from the user's settings file, else defaults.

Why a file and not code: every hospital prints its own name on the summary, and an offline PC has no
admin console — a small JSON file in the user's config directory is the one thing IT can edit:

    {"report": {"hospital_zh": "某某医院", "hospital_en": "Example Hospital",
                "department_zh": "乳腺肿瘤多学科诊疗团队", "department_en": "Breast Cancer MDT"}}

A broken or missing file never stops a report from printing: the defaults are used and the problem is
logged (the report must still be producible in the middle of a board meeting).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from pathlib import Path

log = logging.getLogger(__name__)
SETTINGS_FILE_NAME = "settings.json"


@dataclass(frozen=True)
class ReportSettings:
    hospital_zh: str = "（未设置医院名称）"
    hospital_en: str = "(hospital name not set)"
    department_zh: str = "乳腺癌多学科诊疗（MDT）"
    department_en: str = "Breast cancer multidisciplinary team"
    location_zh: str = ""       # written into the signature's /Location; defaults to the hospital name
    location_en: str = ""

    def hospital(self, lang: str) -> str:
        return self.hospital_zh if lang == "zh" else self.hospital_en

    def department(self, lang: str) -> str:
        return self.department_zh if lang == "zh" else self.department_en

    def location(self, lang: str) -> str:
        """The signature's /Location: set explicitly, else the hospital's name once it is configured."""
        own = self.location_zh if lang == "zh" else self.location_en
        hospital = self.hospital(lang)
        return own or ("" if hospital == ReportSettings().hospital(lang) else hospital)


def config_dir() -> Path:
    """The per-user config folder (ABC_MDT_CONFIG_DIR overrides): guideline_db/user_dirs.py decides."""
    from guideline_db.user_dirs import config_dir as shared_config_dir

    return shared_config_dir()


def load_settings(path: Path | None = None) -> ReportSettings:
    """Settings from `path` (default: the user's settings.json); unknown keys and bad values are ignored."""
    from guideline_db.user_dirs import read_settings_file

    path = path or config_dir() / SETTINGS_FILE_NAME
    # IT's file (never written by the app); one that does not parse is reported (user_dirs.settings_problems).
    data = read_settings_file(path)
    section = data.get("report")
    if not isinstance(section, dict):
        return ReportSettings()
    known = {f.name for f in fields(ReportSettings)}
    values = {k: v.strip() for k, v in section.items() if k in known and isinstance(v, str) and v.strip()}
    ignored = sorted(set(section) - set(values))
    if ignored:
        log.warning("report settings %s: ignored keys %s", path, ", ".join(ignored))
    return ReportSettings(**values)
