"""Enrolment (参保人数) of resident medical insurance: the sourced file under
rates/stats/enrollment/, its reader, and the enrolment column of the national history.

Figures (万人, NHSA bulletins as found): 2019 102483 (low: recalled, the copy says about 1.02
billion), 2020 101676, 2021 100866 (derived), 2022 98349 (derived), 2023 96294 (high), 2024
94713.73 (derived), 2025 94213.27. Falls: 2022 -2517万, 2025 -500.46万.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc.analyses.history import household_series, premium_series
from premium_calc.cli import app
from premium_calc.errors import RateFileError
from premium_calc.household.parsing import build_household
from premium_calc.ratebook.book import RateBook
from premium_calc.ratebook.enrollment import ENROLLMENT_DIR, EnrollmentStats
from premium_calc.ratefiles.reading import STATS_DIR, bundled_rates_dir

runner = CliRunner()
FILE = bundled_rates_dir() / STATS_DIR / ENROLLMENT_DIR / "enrollment.toml"


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_shipped_figures() -> None:
    stats = EnrollmentStats()
    assert stats.years() == list(range(2019, 2026))
    want = {
        2019: (1_024_830_000, "low", False),
        2020: (1_016_760_000, "medium", False),
        2021: (1_008_660_000, "medium", True),
        2022: (983_490_000, "medium", True),
        2023: (962_940_000, "high", False),
        2024: (947_137_300, "medium", True),
        2025: (942_132_700, "medium", False),
    }
    for year, (persons, confidence, derived) in want.items():
        f = stats.figure(year)
        assert f is not None and (f.resident, f.confidence, f.derived) == (persons, confidence, derived)
        assert f.source.url and f.source.url.startswith("http")  # a real source, not a folder
    # 2021 = 2022 + the reported 2022 fall: 98349 + 2517 = 100866 (万)
    assert stats.figure(2022).resident + 25_170_000 == stats.figure(2021).resident  # type: ignore[union-attr]
    # 2024 = 2025 + the reported 2025 fall: 94213.27 + 500.46 = 94713.73 (万)
    assert stats.figure(2025).resident + 5_004_600 == stats.figure(2024).resident  # type: ignore[union-attr]
    assert stats.figure(2018) is None and stats.figure(2023, "cn/yunnan") is None  # gaps stay gaps
    text = FILE.read_text(encoding="utf-8")
    assert "shared/reference" not in text and "../" not in text  # cites sources, not a folder


def test_caveats_say_why_the_count_falls() -> None:
    stats = EnrollmentStats()
    caveats = stats.caveats([2023])
    assert len(caveats) == 2 and "4000万" in caveats[0].text.zh  # type: ignore[union-attr]
    assert stats.caveats([2019]) == []


def test_a_user_file_comes_first_and_a_broken_one_names_itself(tmp_path: Path) -> None:
    folder = tmp_path / STATS_DIR / ENROLLMENT_DIR
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(
        '[[enrollment]]\nyear = 2023\nresident = 1\nconfidence = "low"\n'
        'source = { title = "my survey", confidence = "low" }\n',
        encoding="utf-8",
    )
    stats = EnrollmentStats([tmp_path, bundled_rates_dir()])
    assert stats.figure(2023).resident == 1  # type: ignore[union-attr]
    assert stats.figure(2024).resident == 947_137_300  # type: ignore[union-attr]
    (folder / "mine.toml").write_text("[[enrollment]]\nyear = 2023\nresident = -5\n", encoding="utf-8")
    with pytest.raises(RateFileError, match=r"mine\.toml"):
        EnrollmentStats([tmp_path]).figure(2023)


def test_national_history_carries_enrolment(book: RateBook) -> None:
    h = premium_series(book, "cn")
    rows = {r.coverage_year: r for r in h.rows}
    assert rows[2025].enrolment == 942_132_700
    # 2025 - 2024: 942,132,700 - 947,137,300 = -5,004,600 (the bulletin's -500.46万)
    assert rows[2025].enrolment_change == -5_004_600
    assert rows[2022].enrolment_change == -25_170_000
    assert rows[2019].enrolment_change is None  # no 2018 count: no change, never from 0
    assert rows[2019].enrolment_low_confidence and not rows[2023].enrolment_low_confidence
    assert rows[2026].enrolment is None and rows[2018].enrolment is None
    source = h.sources[rows[2023].enrolment_source]  # type: ignore[index]
    assert "96294" in source.title
    assert any("duplicate" in n for n in h.notes)
    # a household in the national series too
    hh = household_series(book, "cn", build_household(["50"], 3500), start=2024, end=2025)
    assert [r.enrolment for r in hh.rows] == [947_137_300, 942_132_700]


def test_regions_have_no_enrolment(book: RateBook) -> None:
    h = premium_series(book, "cn/guizhou")
    assert all(r.enrolment is None for r in h.rows)
    assert any("national series only" in n for n in h.notes)


def test_enrolment_in_table_csv_and_json() -> None:
    out = run("history", "--lang", "zh", "--no-chart", "--from", "2019")
    assert "参保人数" in out and "94,213.27" in out and "102,483†" in out
    assert "4000万" in out  # the de-duplication caveat with its source
    assert "people.greenyao.com" in out
    en = run("history", "--no-chart", "--from", "2025", "--to", "2025")
    assert "942.13" in en  # millions
    rows = {
        r["coverage_year"]: r for r in csv.DictReader(io.StringIO(run("history", "--csv", "--from", "2019")))
    }
    assert (rows["2025"]["enrolment"], rows["2025"]["enrolment_change"]) == ("942132700", "-5004600")
    assert (rows["2019"]["enrolment_confidence"], rows["2019"]["enrolment_low_confidence"]) == ("low", "True")
    assert rows["2026"]["enrolment"] == ""  # missing stays missing
    data = json.loads(run("history", "--json", "--from", "2024", "--to", "2024"))
    assert data["rows"][0]["enrolment"] == 947137300 and data["rows"][0]["enrolment_derived"] is True
