"""The one immutable pydantic base of rate-file models and result models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Immutable, unknown keys refused, schema built on first use (keeps imports cheap)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
