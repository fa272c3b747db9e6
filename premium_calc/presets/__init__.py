"""Preset households for the public's cases, each documented with its source in its file.

``premium-calc history --preset NAME`` prices one of them in every coverage year. The files are
ordinary household files (:func:`premium_calc.household.load_household_file`) shipped inside
the package; :data:`PRESETS` adds the income statistic a preset uses when its file gives no
income.

===================  ==========================================================================
``rural-family-q1``  four people (two parents, two school children) at the national lowest
                     income quintile: all-resident q1 of income year Y-1 x 4 (rural
                     disposable-income quintiles are not in the data)
``farmer-3500``      one farmer earning 3,500 yuan a year (the project seed's statement)
``1000-a-month``     one person living on 1,000 yuan a month = 12,000 a year (Premier Li
                     Keqiang, 2020-05-28)
===================  ==========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import as_file, files
from typing import TYPE_CHECKING

from ..household.parsing import load_household_file
from ..messages import Note

if TYPE_CHECKING:
    from ..household.members import HouseholdFile


@dataclass(frozen=True)
class Preset:
    """A shipped household file and the income statistic it is measured against."""

    name: str
    filename: str
    statistic: str | None
    summary: str


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "rural-family-q1",
            "rural_family_q1.toml",
            "q1",
            "rural family of four at the national lowest income quintile"
            " (all-resident q1 of income year Y-1, x 4)",
        ),
        Preset(
            "farmer-3500",
            "farmer_3500.toml",
            None,
            "a farmer earning 3,500 yuan a year (the project seed's statement)",
        ),
        Preset(
            "1000-a-month",
            "monthly_1000.toml",
            None,
            "a person living on 1,000 yuan a month (Li Keqiang, 2020-05-28)",
        ),
    )
}


def preset_names() -> list[str]:
    return list(PRESETS)


def get_preset(name: str) -> Preset:
    """A preset by name (``_`` and ``-`` are interchangeable, case-insensitive)."""
    key = name.strip().lower().replace("_", "-")
    if key not in PRESETS:
        from ..errors import HouseholdError

        raise HouseholdError(
            Note("error.unknown_preset", name=repr(name), known=", ".join(PRESETS)), field="preset"
        )
    return PRESETS[key]


def load_preset(name: str) -> HouseholdFile:
    """The household file of a preset."""

    preset = get_preset(name)
    with as_file(files(__name__) / preset.filename) as path:
        return load_household_file(path)


__all__ = ["PRESETS", "Preset", "get_preset", "load_preset", "preset_names"]
