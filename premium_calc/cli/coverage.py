"""``premium-calc rates coverage``: which regions and years exist, and how far to trust them."""

from __future__ import annotations
