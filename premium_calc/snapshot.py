"""``python -m premium_calc.snapshot [--check]``: regenerate or check the golden snapshot of the
resolved bundled rates and the ledger of released data versions beside it.

The work is done by :mod:`premium_calc.upkeep.snapshot` (whose docstring explains the check);
this module only parses the arguments and prints. Regenerating records a data version the
ledger lacks (one bumped by hand) but never rewrites a released version's digest: after a
figure changed without a version bump it writes the snapshot, says so and exits 1, and
``--check`` keeps failing until ``premium-calc rates release`` gives the data a new version.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import PremiumCalcError
from .messages import tr


def _parser(lang: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m premium_calc.snapshot", description=tr("snapshot.help", lang)
    )
    parser.add_argument("--check", action="store_true", help=tr("snapshot.help.check", lang))
    parser.add_argument("--output", type=Path, default=None, help=tr("snapshot.help.output", lang))
    parser.add_argument("--rates-dir", type=Path, default=None, help=tr("snapshot.help.rates_dir", lang))
    parser.add_argument("--lang", choices=("zh", "en"), default=None, help=tr("snapshot.help.lang", lang))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .cli.language import environment_language
    from .ratebook.book import RateBook
    from .upkeep.snapshot import (
        build_snapshot,
        check_snapshot,
        default_path,
        ledger_path,
        read_json_file,
        read_ledger,
        render_ledger,
        render_snapshot,
        stale_summary,
        with_release,
        write_file,
    )

    args = _parser(environment_language()).parse_args(argv)
    lang: str = args.lang or environment_language()
    path: Path = args.output or default_path()
    ledger = ledger_path(path)

    try:
        book = (
            RateBook(args.rates_dir, include_bundled=False, use_env=False)
            if args.rates_dir is not None
            else RateBook(use_env=False)
        )
        new = build_snapshot(book)
        stored = read_json_file(path, "snapshot")
        releases = read_ledger(ledger)
        if args.check:
            result = check_snapshot(new, stored, releases, path=path, ledger=ledger)
            if result.ok:
                print(
                    tr(
                        "snapshot.up_to_date",
                        lang,
                        path=path,
                        count=result.region_years,
                        version=result.version,
                    )
                )
                return 0
            if stored is not None and result.differences:
                print(stale_summary(stored, new, lang=lang), file=sys.stderr)
            for problem in result.problems:
                if problem.key != "snapshot.values_changed" or stored is None:
                    print(problem.text(lang), file=sys.stderr)
            return 1
        # Regenerate: the snapshot always; the ledger only gains what was not released yet.
        text = render_snapshot(new)
        changed = stored is None or render_snapshot(stored) != text
        write_file(path, text)
        key = "snapshot.wrote" if changed else "snapshot.unchanged"
        count = sum(len(y) for y in new["regions"].values())
        print(tr(key, lang, path=path, count=count, version=new["data_version"]))
        updated, recorded = with_release(releases, new)
        if recorded:
            write_file(ledger, render_ledger(updated))
            print(tr("snapshot.recorded", lang, version=new["data_version"], ledger=ledger))
        result = check_snapshot(new, new, updated, path=path, ledger=ledger)
        for problem in result.problems:
            print(problem.text(lang), file=sys.stderr)
        return 0 if result.ok else 1
    except PremiumCalcError as exc:
        print(tr("cli.error", lang, message=exc.text(lang)), file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
