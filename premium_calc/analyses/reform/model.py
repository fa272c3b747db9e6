"""The reform file as data: a pydantic model (frozen, unknown keys refused) of

* ``[reform]``: id, bilingual name, assumptions, sources, and whether its parameters are
  illustrative (not taken from a published source);
* ``[[change]]``: a value of the rate files changed for a region and its descendants, for
  chosen years, in the ``rates set`` key syntax (``subsidy = "+100"``, ``"-10%"``);
* ``[contribution]``: an income-related schedule that replaces the flat individual amount
  (:mod:`.contribution`).

The JSON Schema of the file is generated from :class:`Reform` (``premium-calc reform schema``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from ..._frozen import Frozen
from ...ratefiles.model import BilingualText, Name, Source
from .contribution import Contribution

#: Region ids as rate files name them (``cn``, ``cn/guizhou``, ``cn/guizhou/bijie``).
REGION_ID_PATTERN = r"^[a-z0-9_]+(/[a-z0-9_]+)*$"


class ReformInfo(Frozen):
    """What the reform is and on what it rests."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)
    name: Name
    #: What the reform assumes, in both languages (shown with every result).
    assumptions: tuple[BilingualText, ...] = ()
    sources: tuple[Source, ...] = ()
    #: ``True``: some parameters are not taken from a published source (they are chosen to
    #: illustrate the mechanism). Required: a reform says which it is.
    illustrative: bool


class ChangeEntry(Frozen):
    """One value changed: ``key`` in the ``rates set`` syntax (plus ``individual``: every
    category's flat amount), ``value`` an amount (``300``), a change of the value in force
    (``+100``, ``-10%``) or a share (``50%``, for ``assisted.ID.pays_share``)."""

    region: str = Field(default="cn", pattern=REGION_ID_PATTERN)
    #: Coverage years the change applies to (omitted: every year).
    years: tuple[Annotated[int, Field(ge=2000, le=2100)], ...] | None = None
    key: str = Field(min_length=1, max_length=100)
    value: str = Field(min_length=1, max_length=40)

    @field_validator("value", mode="before")
    @classmethod
    def _number_as_text(cls, value: object) -> object:
        """``value = 300`` (a TOML number) reads as ``"300"``."""
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return str(value)
        return value


class Reform(Frozen):
    """A reform file: ``[reform]``, any ``[[change]]`` and at most one ``[contribution]``."""

    reform: ReformInfo
    change: tuple[ChangeEntry, ...] = ()
    contribution: Contribution | None = None

    #: Where the reform was read from (``--set`` for overrides only), the line of each change
    #: entry's value, and the ``--set`` overrides it includes (set by the loaders).
    _file: Path = PrivateAttr(default=Path("<reform>"))
    _lines: dict[int, int] = PrivateAttr(default_factory=dict)
    _settings: tuple[str, ...] = PrivateAttr(default=())
    _file_changes: int | None = PrivateAttr(default=None)

    @property
    def file(self) -> Path:
        """The reform file (``--set`` for a reform made of overrides only)."""
        return self._file

    @property
    def change_lines(self) -> dict[int, int]:
        """``{change index: line of its value}`` in :attr:`file` (empty for overrides)."""
        return dict(self._lines)

    @property
    def settings(self) -> tuple[str, ...]:
        """The ``--set KEY=VALUE`` overrides this reform includes."""
        return self._settings

    @property
    def file_changes(self) -> int:
        """How many of :attr:`change` come from the file (the rest are ``--set`` overrides)."""
        return len(self.change) if self._file_changes is None else self._file_changes

    def located(
        self,
        file: Path,
        lines: dict[int, int],
        settings: tuple[str, ...] = (),
        *,
        file_changes: int | None = None,
    ) -> Reform:
        """A copy that knows where it was read from (used by the loaders)."""
        copy = self.model_copy()
        copy._file, copy._lines, copy._settings = file, dict(lines), tuple(settings)
        copy._file_changes = file_changes
        return copy

    @model_validator(mode="after")
    def _changes_something(self) -> Reform:
        from pydantic_core import PydanticCustomError

        if not self.change and self.contribution is None:
            raise PydanticCustomError(
                "schema.reform_changes_nothing", "a reform needs a [[change]] or a [contribution]"
            )
        return self

    @property
    def id(self) -> str:
        return self.reform.id

    @property
    def name(self) -> Name:
        return self.reform.name

    @property
    def illustrative(self) -> bool:
        return self.reform.illustrative

    def with_contribution(self, contribution: Contribution | None) -> Reform:
        """A copy with another contribution schedule (a solver's step)."""
        return self.model_copy(update={"contribution": contribution})


#: Where a reform came from: ``file`` (a reform file), ``settings`` (``--set`` only) or both.
ReformOrigin = Literal["file", "settings", "file+settings"]


__all__ = ["ChangeEntry", "Reform", "ReformInfo", "ReformOrigin"]
