"""The JSON Schema of the case format, exported from the pydantic models (`abc-mdt schema`)."""

from __future__ import annotations

from typing import Any

from guideline_db.case_model import SUPPORTED_SCHEMA_VERSION, Case


def case_json_schema() -> dict[str, Any]:
    schema = Case.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"abc-mdt/case-format-v{SUPPORTED_SCHEMA_VERSION}.schema.json"
    schema["description"] = ("abc-mdt case file, version 1 (spec/case-format.md). Cross-field rules (date order, "
                             "advanced line numbering, agent vocabulary) are enforced by abc-mdt, not by this schema.")
    return schema
