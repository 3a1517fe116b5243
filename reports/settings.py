"""Report settings (hospital and department names) from the user's settings file, else defaults.

Why a file and not code: every hospital prints its own name on the summary, and an offline PC has no
admin console — a small JSON file in the user's config directory is the one thing IT can edit:

    {"report": {"hospital_zh": "某某医院", "hospital_en": "Example Hospital",
                "department_zh": "乳腺肿瘤多学科诊疗团队", "department_en": "Breast Cancer MDT"}}

A broken or missing file never stops a report from printing: the defaults are used and the problem is
logged (the report must still be producible in the middle of a board meeting).
"""

from __future__ import annotations

import json
import logging
import os
import sys
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
    """The per-user config directory (ABC_MDT_CONFIG_DIR overrides, for tests and portable installs)."""
    override = os.environ.get("ABC_MDT_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "abc-mdt"


def load_settings(path: Path | None = None) -> ReportSettings:
    """Settings from `path` (default: the user's settings.json); unknown keys and bad values are ignored."""
    path = path or config_dir() / SETTINGS_FILE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ReportSettings()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("report settings %s unreadable (%s); using defaults", path, exc)
        return ReportSettings()
    section = data.get("report") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        return ReportSettings()
    known = {f.name for f in fields(ReportSettings)}
    values = {k: v.strip() for k, v in section.items() if k in known and isinstance(v, str) and v.strip()}
    ignored = sorted(set(section) - set(values))
    if ignored:
        log.warning("report settings %s: ignored keys %s", path, ", ".join(ignored))
    return ReportSettings(**values)
