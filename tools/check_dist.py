"""Check a built sdist and wheel: they hold what the docs and the tests need, and the tests that
read files outside the package pass from the unpacked sdist with nothing skipped.

    python3 tools/check_dist.py DIST_DIR     # DIST_DIR holds one .tar.gz and one .whl

Exit 0 when both are complete, 1 (with the missing paths or the failing tests) otherwise.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

#: Paths the wheel must hold (the package, its data, its messages, the bundled rates).
WHEEL_NEEDS = (
    "premium_calc/__init__.py",
    "premium_calc/__main__.py",
    "premium_calc/py.typed",
    "premium_calc/rates/cn.toml",
    "premium_calc/rates/DATA_VERSION",
    "premium_calc/rates/stats/income.toml",
    "premium_calc/rates/benefits/cn.toml",
    "premium_calc/gazetteer/divisions.tsv",
    "premium_calc/messages/locale/zh/LC_MESSAGES/premium_calc.mo",
    "premium_calc/messages/locale/en/LC_MESSAGES/premium_calc.mo",
    "premium_calc/presets/rural_family_q1.toml",
)

#: Paths the sdist must hold besides the package: what README, docs and tests refer to.
SDIST_NEEDS = (
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    "rates/cn.toml",
    "rates/DATA_VERSION",
    "examples/household.toml",
    "examples/one_household.py",
    "tests/conftest.py",
    "tests/snapshots/resolved.json",
    "docs/data.md",
    "tools/docs_data.py",
    "bench/cli_latency.py",
)

#: Tests that read files outside the package (examples, README, docs, snapshots, cases).
SDIST_TESTS = (
    "tests/test_library.py",
    "tests/test_docs_data.py",
    "tests/test_snapshots.py",
    "tests/test_cases.py",
    "tests/test_worth.py",
    "tests/test_readme_setup.py",
)


def _one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    if len(found) != 1:
        raise SystemExit(f"{folder}: expected one {pattern}, found {len(found)}")
    return found[0]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    dist = Path(argv[0])
    wheel, sdist = _one(dist, "*.whl"), _one(dist, "*.tar.gz")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [p for p in WHEEL_NEEDS if p not in names]
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(sdist) as archive:
        if hasattr(tarfile, "data_filter"):  # Python 3.10.12+, 3.11.4+
            archive.extractall(tmp, filter="data")
        else:  # pragma: no cover - older interpreters
            archive.extractall(tmp)
        (root,) = Path(tmp).iterdir()
        missing += [f"{sdist.name}: {p}" for p in SDIST_NEEDS if not (root / p).is_file()]
        if missing:
            print("missing from the distributions:\n  " + "\n  ".join(missing), file=sys.stderr)
            return 1
        print(f"{wheel.name}: {len(names)} files; {sdist.name}: complete")
        tests = [t for t in SDIST_TESTS if (root / t).is_file()]
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", *tests],
            cwd=root, capture_output=True, text=True,
        )  # fmt: skip
        out = run.stdout + run.stderr
        summary = [line for line in out.splitlines() if " passed" in line or " failed" in line]
        shown = summary[-1] if summary else "(no summary)"
        print(f"tests from the unpacked sdist ({len(tests)} files): {shown}")
        skipped = [line for line in out.splitlines() if line.startswith("SKIPPED")]
        if run.returncode or skipped:
            print(out, file=sys.stderr)
            print("tests from the unpacked sdist failed or were skipped", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
