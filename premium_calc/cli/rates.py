"""``premium-calc rates ...``: validate, show, explain, diff and edit rate files."""

from __future__ import annotations
