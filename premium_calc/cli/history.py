"""``premium-calc history`` and ``premium-calc compare`` (historical growth)."""

from __future__ import annotations
