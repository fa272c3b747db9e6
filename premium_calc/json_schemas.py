"""JSON Schema of the documents premium-calc reads and writes, from the pydantic models.

* :func:`household_json_schema`: a household file (``--household``),
* :func:`result_json_schema`: the result of ``calc --json`` / :func:`premium_calc.assess`,
* :func:`rate_file_json_schema`: a rate file (``rates/**/*.toml``), usable by editors,
* :func:`benefit_file_json_schema`: a benefit file (``rates/benefits/**/*.toml``), the same way.
"""

from __future__ import annotations

from typing import Any


def household_json_schema() -> dict[str, Any]:
    from .household.members import HouseholdFile

    return HouseholdFile.model_json_schema()


def result_json_schema() -> dict[str, Any]:
    from .household.burden import Assessment

    return Assessment.model_json_schema(mode="serialization")


def rate_file_json_schema() -> dict[str, Any]:
    """The one rate-file schema: the same document ``premium-calc rates schema`` prints."""
    from .ratefiles.json_schema import rate_file_schema

    return rate_file_schema()


def benefit_file_json_schema() -> dict[str, Any]:
    """The one benefit-file schema: the same document ``premium-calc rates schema --benefits`` prints."""
    from .ratefiles.json_schema import benefit_file_schema

    return benefit_file_schema()
