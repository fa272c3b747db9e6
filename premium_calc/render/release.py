"""The report of ``premium-calc rates release``: the versions, every changed resolved value
(``region year: key: old -> new``), the region-years added and removed, the counts and the files
written (or, in a dry run, that would be)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..messages import tr
from .rates import shown_path

if TYPE_CHECKING:
    from ..upkeep.release import ReleaseResult


def shown_value(value: Any, lang: str) -> str:
    """A snapshot value as text: a string as it is, absent as "(absent)", anything else as JSON."""
    if value is None:
        return tr("release.absent", lang)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def release_report(result: ReleaseResult, lang: str) -> list[str]:
    """The lines to print, in order."""
    title = "release.title_dry_run" if result.dry_run else "release.title"
    lines = [tr(title, lang, old=result.old_version, new=result.new_version)]
    lines += [
        f"  {c.region} {c.year}: {c.key}: {shown_value(c.old, lang)} -> {shown_value(c.new, lang)}"
        for c in result.changes
    ]
    lines += [f"  {tr('release.added', lang, where=f'{r} {y}')}" for r, y in result.added]
    lines += [f"  {tr('release.removed', lang, where=f'{r} {y}')}" for r, y in result.removed]
    if not (result.changes or result.added or result.removed):
        lines.append(tr("release.no_change", lang))
    lines.append(
        tr(
            "release.counts",
            lang,
            changed=len(result.changed),
            added=len(result.added),
            removed=len(result.removed),
            values=len(result.changes),
        )
    )
    done = "release.wrote" if result.written else "release.would_write"
    lines += [tr(done, lang, path=shown_path(p)) for p in result.files]
    return lines


def release_json(result: ReleaseResult) -> dict[str, Any]:
    """The result for ``--json``: its fields, paths as shown."""
    data = result.as_dict()
    for key in ("rates_dir", "snapshot", "ledger"):
        data[key] = shown_path(data[key])
    data["files"] = [shown_path(p) for p in data["files"]]
    return data
