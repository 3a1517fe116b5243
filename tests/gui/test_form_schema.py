"""The raw form state ↔ case format conversion (no Qt): what is typed is kept, what converts is sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.form_schema import blank_row, empty_state, from_case_dict, to_case_dict
from guideline_db.case_io import CaseFileError, parse_case
from tests.gui.conftest import all_case_paths


@pytest.mark.parametrize("path", all_case_paths(), ids=lambda p: p.stem)
def test_round_trip_of_every_vignette(path: Path) -> None:
    case = parse_case(json.loads(path.read_text(encoding="utf-8")))
    state = json.loads(json.dumps(from_case_dict(case.model_dump(mode="json"))))   # survives JSON (autosave)
    conversion = to_case_dict(state)
    assert conversion.problems == []
    assert parse_case(conversion.case) == case


def test_numbers_that_are_not_numbers_are_reported_and_kept() -> None:
    state = empty_state()
    state["fields"].update({"case_id": "x", "patient.sex": "female", "presentation": "de_novo_stage_iv",
                            "patient.age": "7O", "biomarkers.pdl1_cps": "12,5"})
    conversion = to_case_dict(state)
    assert [(p.path, p.code, p.raw) for p in conversion.problems] == [("patient.age", "not_integer", "7O")]
    assert conversion.case["biomarkers"]["pdl1_cps"] == 12.5          # a decimal comma is accepted
    assert "age" not in conversion.case["patient"]
    assert state["fields"]["patient.age"] == "7O"                     # nothing typed is lost


def test_blank_rows_are_left_out_and_paths_map_back() -> None:
    state = empty_state()
    state["fields"].update({"case_id": "x", "patient.sex": "female", "presentation": "de_novo_stage_iv"})
    state["rows"]["pathology"] = [blank_row("pathology"), {**blank_row("pathology"), "specimen": "primary",
                                                           "er_percent": "120"}]
    conversion = to_case_dict(state)
    assert len(conversion.case["pathology"]) == 1
    with pytest.raises(CaseFileError) as error:
        parse_case(conversion.case)
    assert error.value.problems == ["pathology[0].er_percent: Input should be less than or equal to 100"]
    assert conversion.raw_path("pathology[0].er_percent") == "pathology[1].er_percent"


def test_hidden_sub_form_of_another_organ_is_kept_but_not_sent() -> None:
    state = empty_state()
    state["fields"].update({"case_id": "x", "patient.sex": "female", "presentation": "de_novo_stage_iv"})
    site = {**blank_row("metastases"), "organ": "liver", "bone.pain": "yes", "liver.diffuse": "no"}
    state["rows"]["metastases"] = [site]
    case = parse_case(to_case_dict(state).case)
    assert case.metastases[0].liver.diffuse is False and case.metastases[0].bone is None
    assert state["rows"]["metastases"][0]["bone.pain"] == "yes"
