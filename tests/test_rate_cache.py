"""The rate cache (premium_calc.ratebook.cache): never stale, never an error, never in the package."""

from __future__ import annotations

import os
import pickle
import shutil
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc.cli import app
from premium_calc.errors import RateFileError
from premium_calc.ratebook import cache as rate_cache
from premium_calc.ratebook.book import RateBook, iter_schedules
from premium_calc.ratefiles import reading

FIXTURE = Path(__file__).parent / "fixtures" / "rates" / "cn.toml"

CITY = """[region]
name = {{ zh = "测试市", en = "Testcity" }}
parent = "cn"
level = "city"
code = "520526"
aliases = ["测试"]

[[year]]
coverage = 2025
policy = 2024
source = {{ title = "test notice", confidence = "high" }}

  [[year.category]]
  id = "resident"
  name = {{ zh = "城乡居民", en = "residents" }}
  individual = {amount}
"""


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(rate_cache.CACHE_DIR_ENV, str(folder))
    monkeypatch.delenv(rate_cache.NO_CACHE_ENV, raising=False)
    return folder


def tree(folder: Path, amount: int = 410) -> Path:
    (folder / "cn").mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE, folder / "cn.toml")
    (folder / "cn" / "testcity.toml").write_text(CITY.format(amount=amount), encoding="utf-8")
    return folder


def book_of(*dirs: Path, cache: bool = True) -> RateBook:
    return RateBook(list(dirs), include_bundled=False, use_env=False, cache=cache)


def individual(book: RateBook, region: str = "测试市", year: int = 2025) -> Decimal | None:
    amount = book.schedule(region, year).categories[0].individual
    assert amount is None or isinstance(amount, Decimal)
    return amount


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.pickle"))


def test_a_warm_book_reads_no_toml_and_validates_nothing(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rates = tree(tmp_path / "rates")
    assert individual(book_of(rates)) == Decimal(410)  # builds the cache
    assert any(p.name.startswith("index-") for p in entries(cache_dir))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed a file the cache has")

    monkeypatch.setattr(reading, "parse_toml", refuse)
    monkeypatch.setattr("premium_calc.ratebook.names._header_of", refuse)
    monkeypatch.setattr(reading, "load_rate_file", refuse)
    monkeypatch.setattr("premium_calc.ratebook.book.load_rate_file", refuse)
    book = book_of(rates)
    assert individual(book) == Decimal(410)
    assert book.locate("520526") == ("cn/testcity", None)  # a code, through the code index
    assert book.find("Testcity") == "cn/testcity"


def test_an_edit_is_seen_by_the_next_book(tmp_path: Path, cache_dir: Path) -> None:
    rates = tree(tmp_path / "rates")
    assert individual(book_of(rates)) == Decimal(410)
    # Same size, written at once (within the file system's timestamp resolution): the racy
    # rule hashes the file again.
    city = rates / "cn" / "testcity.toml"
    stamp = city.stat()
    city.write_text(CITY.format(amount=420), encoding="utf-8")
    os.utime(city, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # even the same mtime
    assert individual(book_of(rates)) == Decimal(420)
    city.write_text(CITY.format(amount=4300), encoding="utf-8")  # another size
    assert individual(book_of(rates)) == Decimal(4300)


def test_an_old_file_rewritten_with_its_stamp_is_not_racy_once_rehashed(
    tmp_path: Path, cache_dir: Path
) -> None:
    rates = tree(tmp_path / "rates")
    city = rates / "cn" / "testcity.toml"
    old = 1_600_000_000_000_000_000
    os.utime(city, ns=(old, old))
    assert individual(book_of(rates)) == Decimal(410)
    city.write_text(CITY.format(amount=500), encoding="utf-8")
    os.utime(city, ns=(old + 10**9 * 3600, old + 10**9 * 3600))  # an hour later: a new stamp
    assert individual(book_of(rates)) == Decimal(500)


def test_added_renamed_and_removed_files(tmp_path: Path, cache_dir: Path) -> None:
    rates = tree(tmp_path / "rates")
    assert book_of(rates).region_ids() == ["cn", "cn/testcity"]
    (rates / "cn" / "other.toml").write_text(
        CITY.format(amount=450).replace("测试市", "另一市").replace("Testcity", "Othercity")
        .replace('"测试"', '"另一"').replace("520526", "520525"),
        encoding="utf-8",
    )  # fmt: skip
    book = book_of(rates)
    assert book.region_ids() == ["cn", "cn/other", "cn/testcity"]
    assert individual(book, "另一") == Decimal(450)
    (rates / "cn" / "testcity.toml").rename(rates / "cn" / "renamed.toml")
    assert book_of(rates).find("测试") == "cn/renamed"
    (rates / "cn" / "renamed.toml").unlink()
    assert book_of(rates).region_ids() == ["cn", "cn/other"]


def test_each_set_of_directories_has_its_own_index(tmp_path: Path, cache_dir: Path) -> None:
    first = tree(tmp_path / "one", amount=410)
    overlay = tmp_path / "two"
    (overlay / "cn").mkdir(parents=True)
    (overlay / "cn" / "testcity.toml").write_text(CITY.format(amount=999), encoding="utf-8")
    assert individual(book_of(first)) == Decimal(410)
    assert individual(book_of(overlay, first)) == Decimal(999)  # earlier directories win
    assert individual(book_of(first)) == Decimal(410)
    indexes = [p for p in entries(cache_dir) if p.name.startswith("index-")]
    assert len(indexes) == 2


def test_a_corrupt_cache_is_rebuilt_never_an_error(tmp_path: Path, cache_dir: Path) -> None:
    rates = tree(tmp_path / "rates")
    assert individual(book_of(rates)) == Decimal(410)
    stored = entries(cache_dir)
    assert len(stored) >= 3  # the index and two validated files
    for number, path in enumerate(stored):
        path.write_bytes([b"", b"garbage", pickle.dumps({"not": "an entry"})][number % 3])
    assert individual(book_of(rates)) == Decimal(410)
    assert book_of(rates).find("测试") == "cn/testcity"
    for path in entries(cache_dir):  # everything was written again, whole
        assert isinstance(pickle.loads(path.read_bytes()), rate_cache.Index | rate_cache.Detail | tuple)


def test_no_cache_and_cache_false_write_nothing(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rates = tree(tmp_path / "rates")
    assert individual(book_of(rates, cache=False)) == Decimal(410)
    assert not cache_dir.exists()
    monkeypatch.setenv(rate_cache.NO_CACHE_ENV, "1")
    assert rate_cache.cache_root() is None
    assert individual(book_of(rates)) == Decimal(410)
    assert not cache_dir.exists()
    monkeypatch.setenv(rate_cache.NO_CACHE_ENV, "0")
    assert rate_cache.cache_root() == cache_dir


def test_an_unwritable_cache_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rates = tree(tmp_path / "rates")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(rate_cache.CACHE_DIR_ENV, str(blocker / "cache"))
    assert individual(book_of(rates)) == Decimal(410)


def test_where_the_cache_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(rate_cache.NO_CACHE_ENV, raising=False)
    monkeypatch.delenv(rate_cache.CACHE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert rate_cache.cache_root() == tmp_path / "xdg" / "premium-calc"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert rate_cache.cache_root() == tmp_path / "home" / ".cache" / "premium-calc"
    package = Path(rate_cache.__file__).resolve().parent.parent
    for inside in (package, package / "rates-cache"):
        monkeypatch.setenv(rate_cache.CACHE_DIR_ENV, str(inside))
        assert rate_cache.cache_root() is None  # never inside the package


def test_the_cached_book_resolves_what_the_files_say(cache_dir: Path) -> None:
    fresh = RateBook(use_env=False, cache=False)
    RateBook(use_env=False).region_ids()  # builds the index
    warm = RateBook(use_env=False)
    assert warm.region_ids() == fresh.region_ids()
    assert warm.shared_names() == fresh.shared_names()
    assert list(iter_schedules(warm)) == list(iter_schedules(fresh))
    assert warm._code_index() == fresh._code_index()
    assert [r.data for r in RateBook(use_env=False).regions()] == [r.data for r in fresh.regions()]


def test_a_rate_book_pickles(tmp_path: Path, cache_dir: Path) -> None:
    rates = tree(tmp_path / "rates")
    book = book_of(rates)
    assert individual(book) == Decimal(410)
    book.income_stats()
    copy = pickle.loads(pickle.dumps(book))
    assert copy.dirs == book.dirs
    assert individual(copy) == Decimal(410)
    assert copy.schedule("cn/testcity", 2025) == book.schedule("cn/testcity", 2025)


def test_concurrent_writers_leave_whole_entries(tmp_path: Path) -> None:
    target = tmp_path / "entry.pickle"
    payload = list(range(50_000))
    seen: list[object] = []

    def write() -> None:
        for _ in range(20):
            rate_cache.write_entry(target, payload)

    def read() -> None:
        for _ in range(200):
            value = rate_cache.read_entry(target)
            if value is not None:
                seen.append(value == payload)

    threads = [threading.Thread(target=f) for f in (write, write, read)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(seen)
    assert [p.name for p in tmp_path.iterdir()] == ["entry.pickle"]  # no temp file left


def test_rates_validate_reads_every_file(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rates = tree(tmp_path / "rates")
    assert individual(book_of(rates)) == Decimal(410)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("rates validate used the rate cache")

    monkeypatch.setattr(rate_cache, "load_index", refuse)
    monkeypatch.setattr(rate_cache, "load_validated", refuse)
    result = CliRunner().invoke(app, ["rates", "validate", "--rates-dir", str(rates)])
    assert "used the rate cache" not in str(result.exception or "")
    assert result.exit_code in (0, 1), result.output


@pytest.mark.parametrize(
    ("region", "year", "members", "income"),
    [
        ("毕节", 2025, ["45", "42:female", "12:student", "70"], "14000"),
        ("毕节", 2025, ["45", "42:female", "12:student", "70"], None),
        ("威宁", 2026, ["45:dibao", "30:employee", "2026-03-01"], None),
        ("cn/beijing", 2025, ["65:male", "55:female", "20:college"], "0"),
        ("cn/hunan", 2025, ["68:低保", "10:学生"], "80000"),
    ],
)
def test_results_built_without_validation_validate_to_themselves(
    book: RateBook, region: str, year: int, members: list[str], income: str | None
) -> None:
    """assess() builds its results with model_construct: they must be what validating the same
    data gives, field for field (types included) and in JSON."""
    from premium_calc.household.burden import Assessment, assess
    from premium_calc.household.parsing import build_household
    from premium_calc.household.premium import calculate

    household = build_household(members, income)
    result = assess(book, region, year, household)
    again = Assessment.model_validate(result.model_dump())
    assert repr(again.model_dump()) == repr(result.model_dump())  # the same types all the way down
    assert again.model_dump_json() == result.model_dump_json()
    assert again.model_fields_set == result.model_fields_set
    # Fields left to their defaults stay unset, as when the fields are validated.
    validated_burden = type(result.burden)(
        **{k: getattr(result.burden, k) for k in result.burden.model_fields_set}
    )
    assert validated_burden.model_fields_set == result.burden.model_fields_set
    premium = calculate(book.standard(region, year), household)
    assert type(premium).model_validate(premium.model_dump()) == premium


def test_construct_is_model_construct(book: RateBook) -> None:
    from premium_calc.household.burden import Burden, ThresholdCheck, assess
    from premium_calc.household.parsing import build_household
    from premium_calc.household.premium import MemberPremium, PremiumResult, SourceRef, construct

    result = assess(book, "毕节", 2025, build_household(["45", "70:dibao"], None))
    models = [result, result.burden, *result.members, *result.sources, *result.burden.thresholds]
    for model in models:
        given = {name: getattr(model, name) for name in model.model_fields_set}
        ours, theirs = construct(type(model), **given), type(model).model_construct(**given)
        assert ours.__dict__ == theirs.__dict__ and list(ours.__dict__) == list(theirs.__dict__)
        assert ours.model_fields_set == theirs.model_fields_set
        assert (ours.__pydantic_extra__, ours.__pydantic_private__) == (
            theirs.__pydantic_extra__, theirs.__pydantic_private__,
        )  # fmt: skip
        assert ours == theirs and repr(ours) == repr(theirs)
    assert {type(m) for m in models} >= {PremiumResult.__subclasses__()[0], Burden, MemberPremium, SourceRef}
    assert ThresholdCheck in {type(m) for m in models} or not result.burden.thresholds


def test_shared_names_and_codes_as_without_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    from premium_calc.errors import AmbiguousRegionError

    rates = tree(tmp_path / "rates")
    twin = CITY.format(amount=430).replace("测试市", "双胞市").replace("Testcity", "Twincity")
    (rates / "cn" / "twin.toml").write_text(twin, encoding="utf-8")  # same alias, same code
    overlay = tmp_path / "overlay"
    (overlay / "cn").mkdir(parents=True)
    (overlay / "cn" / "twin.toml").write_text(twin.replace("430", "440"), encoding="utf-8")
    books = [book_of(overlay, rates, cache=False), book_of(overlay, rates), book_of(overlay, rates)]
    messages = []
    for book in books:
        assert book.shared_names() == books[0].shared_names()
        assert book._code_index() == books[0]._code_index()
        assert book.path_of("cn/twin") == (overlay / "cn" / "twin.toml").resolve()
        with pytest.raises(AmbiguousRegionError) as caught:
            book.find("测试")
        messages.append(str(caught.value))
    assert len(set(messages)) == 1


def test_income_statistics_come_from_the_cache_until_a_file_changes(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from premium_calc.ratebook.income import IncomeStats

    rates = tree(tmp_path / "rates")
    stats = rates / "stats"
    stats.mkdir()
    shutil.copy(reading.bundled_rates_dir() / "stats" / "income.toml", stats / "national.toml")
    old = 1_600_000_000_000_000_000  # old enough to trust its stamp
    os.utime(stats / "national.toml", ns=(old, old))
    first = book_of(rates).income_stats()
    assert first.rows()
    monkeypatch.setattr(reading, "parse_toml", lambda *a, **k: pytest.fail("parsed a statistics file"))
    again = book_of(rates).income_stats()
    assert isinstance(again, IncomeStats) and again is not first
    assert again.rows() == first.rows()
    monkeypatch.undo()
    monkeypatch.setenv(rate_cache.CACHE_DIR_ENV, str(cache_dir))
    text = (stats / "national.toml").read_text(encoding="utf-8")
    (stats / "national.toml").write_text(text + "\n# edited\n", encoding="utf-8")
    edited = book_of(rates).income_stats()
    assert edited.rows() == first.rows()  # read again (the comment changes nothing)
    (stats / "broken.toml").write_text("not = [toml", encoding="utf-8")
    broken = book_of(rates).income_stats()  # no error here: where the statistics are used
    with pytest.raises(RateFileError):
        broken.rows()


def test_a_damaged_name_or_code_part_of_the_index_reads_the_files(tmp_path: Path, cache_dir: Path) -> None:
    rates = tree(tmp_path / "rates")
    assert individual(book_of(rates)) == Decimal(410)
    path = rate_cache.index_path(cache_dir, [rates.resolve()])
    index = pickle.loads(path.read_bytes())
    assert isinstance(index, rate_cache.Index)
    assert (index.names_like("测试") or {}).get("测试") == "cn/testcity"
    assert index.sha("cn/testcity") == bytes.fromhex(
        rate_cache.text_sha((rates / "cn" / "testcity.toml").read_text(encoding="utf-8"))
    )
    index.names = tuple(b"garbage" for _ in index.names)
    index.codes = b"garbage"
    path.write_bytes(pickle.dumps(index))
    book = book_of(rates)
    assert book.find("测试") == "cn/testcity"  # from the file's header, not the damaged part
    assert book.locate("520526") == ("cn/testcity", None)
    assert book.shared_names() == {}
