"""The terminology table (sources/codes.toml): every token coded or marked, every row cited, every code
well-formed (LOINC and SNOMED CT check digits), and nothing unverified ever sent."""

from __future__ import annotations

import re
import tomllib
from typing import get_args

import pytest

from guideline_db.build import SOURCES_DIR
from guideline_db.case_model import Organ
from guideline_db.database import open_guideline
from guideline_db.interop.codes import load_codes, project_system
from guideline_db.interop.fhir_check import code_format_problem, luhn_check_digit, verhoeff_ok
from guideline_db.vocabulary import load_vocabulary

SOURCE = tomllib.loads((SOURCES_DIR / "codes.toml").read_text(encoding="utf-8"))
ROWS = SOURCE["code"]


def test_the_shipped_database_holds_the_code_table():
    db = open_guideline()
    assert len(db.rows("codes")) == len(ROWS)
    assert {r["alias"] for r in db.rows("code_systems")} == {s["alias"] for s in SOURCE["code_system"]}


def test_every_agent_token_has_an_atc_and_an_rxnorm_row():
    agents = load_vocabulary().agent_tokens
    for system in ("atc", "rxnorm"):
        coded = {r["token"] for r in ROWS if r["kind"] == "agent" and r["system"] == system}
        procedures = {r["token"] for r in ROWS if r["kind"] == "agent" and r["status"] == "not_applicable"}
        assert agents - procedures <= coded, f"{system}: {sorted(agents - procedures - coded)}"


def test_every_organ_token_has_a_body_site_and_an_icd_row():
    organs = set(get_args(Organ))
    assert organs == {r["token"] for r in ROWS if r["kind"] == "organ"}
    assert organs == {r["token"] for r in ROWS if r["kind"] == "organ_icd"}


def test_biomarkers_performance_and_presentation_are_covered():
    tokens = {(r["kind"], r["token"]) for r in ROWS}
    for needed in [("marker", "er_percent"), ("marker", "pr_percent"), ("marker", "her2_ihc"), ("marker", "her2_ish"),
                   ("marker", "ki67_percent"), ("marker", "pdl1_cps"), ("marker", "msi_high"),
                   ("gene", "brca1"), ("gene", "brca2"), ("gene", "pik3ca"), ("gene", "esr1"),
                   ("performance", "ecog"), ("performance", "kps"), ("presentation", "de_novo_stage_iv")]:
        assert needed in tokens


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_each_row_is_cited_and_its_status_matches_its_code(row):
    sources = {s["id"] for s in SOURCE["code_source"]}
    assert row["source"] in sources
    assert row["id"] == f"{row['kind']}.{row['token']}.{row['system']}"
    if row["status"] == "confirmed":
        assert row["code"] and row["source"] != "none" and row["where"]
        uri = next(s["uri"] for s in SOURCE["code_system"] if s["alias"] == row["system"])
        assert code_format_problem(uri, row["code"]) is None
    else:
        assert row["status"] in ("unverified", "not_applicable")
        assert row["code"] == "", "an unverified code must be left empty, never remembered"
        assert row.get("note")


def test_the_issue_s_anchor_codes_are_the_confirmed_ones():
    confirmed = {(r["token"], r["code"]) for r in ROWS if r["status"] == "confirmed"}
    assert ("er_presence", "85337-4") in confirmed and ("pr_presence", "85339-0") in confirmed
    assert ("her2_interpretation", "48676-1") in confirmed
    assert ("letrozole", "L02BG04") in confirmed and ("anastrozole", "84857") in confirmed


def test_check_digit_algorithms_catch_a_changed_digit():
    assert luhn_check_digit("85337") == 4 and luhn_check_digit("89247") == 1
    assert verhoeff_ok("254837009") and verhoeff_ok("138875005")
    assert not verhoeff_ok("254837008") and not verhoeff_ok("138875004")
    assert code_format_problem("http://loinc.org", "85337-5") == "LOINC check digit is wrong"
    assert code_format_problem("http://www.whocc.no/atc", "L02BG4") is not None


def test_only_confirmed_codes_are_ever_sent():
    codes = load_codes()
    confirmed = {(r.kind, r.token, r.system, r.code) for r in codes.rows if r.status == "confirmed"}
    assert any(r.status == "unverified" for r in codes.rows)
    for row in codes.rows:
        for coding in codes.coding(row.kind, row.token):
            assert (row.kind, row.token, coding["system"], coding["code"]) in confirmed


def test_reverse_lookup_prefers_nothing_it_does_not_know():
    codes = load_codes()
    assert codes.token_for(("agent",), "http://www.whocc.no/atc", "L02BG04") == "letrozole"
    assert codes.token_for(("agent",), project_system("agent"), "nab_paclitaxel") == "nab_paclitaxel"
    assert codes.token_for(("agent",), "http://www.whocc.no/atc", "L99ZZ99") is None
    assert re.fullmatch(r"http://abc-mdt\.invalid/fhir/CodeSystem/agent", project_system("agent"))
