"""The terminology table (sources/codes.toml → `codes`, `code_systems`, `code_sources` in the guideline DB).

Why lookups here rather than in the exporter: export and import must agree on one mapping, and the
importer also needs the reverse (a hospital's LOINC/SNOMED/ICD code → the case format's token). Only rows
with status "confirmed" are ever sent; unverified rows exist to say, reviewably, that a code is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from guideline_db.database import GuidelineDatabase, open_guideline

PROJECT_BASE = "http://abc-mdt.invalid/fhir"   # .invalid (RFC 2606): can never clash with a real system


def project_system(kind: str) -> str:
    """The project's own code system for a kind of token (its codes are the case format's tokens)."""
    return f"{PROJECT_BASE}/CodeSystem/{kind}"


@dataclass(frozen=True)
class CodeRow:
    kind: str
    token: str
    system: str       # full URI
    code: str
    display: str
    status: str       # confirmed | unverified | not_applicable
    source: str
    where: str


@dataclass(frozen=True)
class Codes:
    rows: tuple[CodeRow, ...]
    systems: dict[str, str]          # alias → URI

    def confirmed(self, kind: str, token: str) -> list[CodeRow]:
        return [r for r in self.rows if r.kind == kind and r.token == token and r.status == "confirmed"]

    def coding(self, kind: str, token: str, system_alias: str | None = None) -> list[dict]:
        """FHIR codings for a token: the confirmed standard codes, then the project's own code."""
        uri = self.systems.get(system_alias) if system_alias else None
        out = [{"system": r.system, "code": r.code, "display": r.display}
               for r in self.confirmed(kind, token) if uri is None or r.system == uri]
        return out

    def token_for(self, kinds: tuple[str, ...], system: str | None, code: str | None) -> str | None:
        """The token a standard (system, code) stands for, or None when the table has no such row.
        Several tokens may share a code (e.g. ICD-10-CM C77.9 for both lymph-node tokens): the first wins."""
        if not system or not code:
            return None
        for kind in kinds:
            if system == project_system(kind):
                return code
        for row in self.rows:
            if row.kind in kinds and row.status == "confirmed" and row.system == system and row.code == code:
                return row.token
        return None

    def display(self, kind: str, token: str) -> str:
        for row in self.rows:
            if row.kind == kind and row.token == token and row.display:
                return row.display
        return token


def build_codes(db: GuidelineDatabase) -> Codes:
    systems = {r["alias"]: r["uri"] for r in db.rows("code_systems")}
    rows = tuple(CodeRow(kind=r["kind"], token=r["token"], system=systems[r["system"]], code=r["code"],
                         display=r["display"], status=r["status"], source=r["source"], where=r.get("where") or "")
                 for r in db.rows("codes"))
    return Codes(rows=rows, systems=systems)


@lru_cache(maxsize=4)
def _cached(db: GuidelineDatabase) -> Codes:
    return build_codes(db)


def load_codes(db: GuidelineDatabase | None = None) -> Codes:
    return _cached(db or open_guideline())
