"""How this PC signs: an RFC 3161 time-stamping service and the hospital's own signature meanings.

Read from the "signing" section of the same settings file as the report settings (IT's file, never
written by the app). Kept apart from `reports.settings` so signing options stay in one place.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from reports.settings import SETTINGS_FILE_NAME, config_dir

log = logging.getLogger(__name__)

MEANING_MAX_CHARS = 60


@dataclass(frozen=True)
class ConfiguredMeaning:
    """A hospital's own signature meaning (settings.json "signing" → "meanings")."""
    key: str
    zh: str
    en: str
    approval: bool = False


@dataclass(frozen=True)
class SigningSettings:
    """How this PC signs: an RFC 3161 time-stamping service, and the hospital's own meanings.

        {"signing": {"tsa_url": "http://tsa.hospital.example/tsr",
                     "meanings": [{"key": "pathologist", "zh": "病理科确认", "en": "confirmed by pathology"}]}}
    """
    tsa_url: str = ""
    meanings: tuple[ConfiguredMeaning, ...] = ()


def load_signing_settings(path: Path | None = None) -> SigningSettings:
    """The "signing" section of the settings file; bad entries are ignored and logged."""
    path = path or config_dir() / SETTINGS_FILE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SigningSettings()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        log.warning("settings %s unreadable (%s); signing without time-stamping", path, exc)
        return SigningSettings()
    section = data.get("signing") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        return SigningSettings()
    url = section.get("tsa_url") if isinstance(section.get("tsa_url"), str) else ""
    meanings = []
    for item in section.get("meanings") or []:
        ok = isinstance(item, dict) and all(isinstance(item.get(k), str) and item[k].strip() for k in ("key", "zh", "en"))
        if not ok or max(len(item["zh"]), len(item["en"])) > MEANING_MAX_CHARS:
            log.warning("settings %s: ignored signing meaning %r", path, item)
            continue
        meanings.append(ConfiguredMeaning(item["key"].strip().lower(), item["zh"].strip(), item["en"].strip(),
                                          bool(item.get("approval", False))))
    return SigningSettings(url.strip(), tuple(meanings))
