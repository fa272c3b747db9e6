"""Survey files streamed in household-aligned batches (CSV in UTF-8 / GBK, Parquet), and the
atomic writer of results."""

from __future__ import annotations

import errno
import os
import random
import re
from itertools import accumulate
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from premium_calc.analyses.population import files
from premium_calc.analyses.population.files import FileBatch, iter_batches
from premium_calc.analyses.population.output import open_writer
from premium_calc.errors import HouseholdError, OptionError

SURVEY = (
    "household,region,age,sex,flags,income\n"
    "1,江苏省南京市,34,m,,52000\n"
    "1,江苏省南京市,8,f,student,\n"
    "2,四川省凉山彝族自治州,67,f,低保;残疾二级,3000\n"
    "3,北京市,45,男,特困,1.2万\n"
)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _all(batches: list[FileBatch]) -> pa.Table:
    return pa.concat_tables([b.table for b in batches])


def _households(n: int, seed: int = 7) -> list[tuple[str, int]]:
    """(label, size) of ``n`` households with 1-5 members each."""
    rng = random.Random(seed)
    return [(str(h), rng.randint(1, 5)) for h in range(1, n + 1)]


def _survey_csv(path: Path, households: list[tuple[str, int]]) -> Path:
    rows = ["household,age,sex,flags,income"]
    for label, size in households:
        rows += [f"{label},{(7 * i + len(label)) % 90},{'mf'[i % 2]},{'低保' if i == 1 else ''},{100 * i}"
                 for i in range(size)]
    return _write(path, "\n".join(rows) + "\n")


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few KiB (CSV) and 23 rows (Parquet), so households straddle chunks."""
    monkeypatch.setattr(files, "CSV_BLOCK_BYTES", 4096)
    monkeypatch.setattr(files, "_PARQUET_CHUNK", 23)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_utf8_bom_and_gbk_read_identically(tmp_path: Path, encoding: str) -> None:
    reader = iter_batches(_write(tmp_path / "survey.csv", SURVEY, encoding))
    table = _all(list(reader))
    assert reader.encoding == ("gb18030" if encoding == "gbk" else "utf-8")
    assert table.column_names == ["household", "region", "age", "sex", "flags", "income"]
    assert table.to_pydict() == {
        "household": ["1", "1", "2", "3"],
        "region": ["江苏省南京市", "江苏省南京市", "四川省凉山彝族自治州", "北京市"],
        "age": ["34", "8", "67", "45"],
        "sex": ["m", "f", "f", "男"],
        "flags": ["", "student", "低保;残疾二级", "特困"],
        "income": ["52000", "", "3000", "1.2万"],
    }
    assert all(pa.types.is_string(t) for t in table.schema.types)


def test_an_explicit_encoding_is_used(tmp_path: Path) -> None:
    path = _write(tmp_path / "survey.csv", SURVEY, "gbk")
    assert _all(list(iter_batches(path, encoding="GBK"))).column("flags")[2].as_py() == "低保;残疾二级"
    with pytest.raises(OptionError, match="--encoding: klingon is not a known encoding"):
        iter_batches(path, encoding="klingon")
    with pytest.raises(HouseholdError, match="not valid utf-8 text further on"):
        list(iter_batches(_write(tmp_path / "late.csv", "household,age\n" + "1,2\n" * 40_000 + "低保,3\n",
                                 "gbk"), encoding="utf-8"))


def test_gbk_beyond_the_sniffed_head(tmp_path: Path) -> None:
    """GBK only after 64 KiB of ASCII: the sniff says UTF-8, the error says what to do."""
    path = _write(tmp_path / "late.csv", "household,age,flags\n" + "1,2,x\n" * 20_000 + "2,3,低保\n", "gbk")
    with pytest.raises(HouseholdError) as caught:
        list(iter_batches(path))
    assert "--encoding" in str(caught.value) and str(path) in str(caught.value)
    assert _all(list(iter_batches(path, encoding="gb18030"))).column("flags")[-1].as_py() == "低保"


def test_a_row_with_too_many_fields_is_skipped_and_reported(tmp_path: Path) -> None:
    text = (
        "household,age,sex\n"  # line 1
        "1,30,m\n"  # 2
        "1,31,f,extra\n"  # 3: one field too many
        "\n"  # 4: blank, dropped
        "2,40,m\n"  # 5
        "2\n"  # 6: too few
        '3,"5",f\n'  # 7
    )
    reader = iter_batches(_write(tmp_path / "s.csv", text))
    batches = list(reader)
    table = _all(batches)
    assert table.to_pydict() == {"household": ["1", "2", "3"], "age": ["30", "40", "5"],
                                 "sex": ["m", "m", "f"]}
    assert [b.lines.tolist() for b in batches] == [[2, 5, 7]]
    assert [(s.line, s.expected_fields, s.actual_fields, s.text) for s in reader.skipped] == [
        (3, 3, 4, "1,31,f,extra"), (6, 3, 1, "2")
    ]
    assert reader.skipped_count == 2
    assert str(reader.skipped[0].reason) == "4 fields instead of 3; the row was skipped"
    assert reader.skipped[0].reason.text("zh") == "有 4 个字段而不是 3 个；已跳过该行"


def test_line_numbers_stay_right_across_chunks(tmp_path: Path, small_blocks: None) -> None:
    lines = ["household,age"]
    for n in range(2, 3002):
        lines.append(f"{n},{n % 90},bad" if n % 97 == 0 else f"{n},{n % 90}")
    reader = iter_batches(_write(tmp_path / "s.csv", "\n".join(lines) + "\n"), batch_rows=100)
    batches = list(reader)
    assert len(batches) > 20
    table = _all(batches)
    got = [int(x) for x in table.column("household").to_pylist()]
    assert [int(x) for b in batches for x in b.lines] == got  # each label is its own line number
    assert [s.line for s in reader.skipped] == [n for n in range(2, 3002) if n % 97 == 0]
    assert all(b.first_line == b.lines[0] for b in batches)


@pytest.mark.parametrize("batch_rows", [7, 64, 1000])
@pytest.mark.parametrize("chunks", ["whole", "small"])
def test_a_batch_never_splits_a_household(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_rows: int, chunks: str
) -> None:
    if chunks == "small":
        monkeypatch.setattr(files, "CSV_BLOCK_BYTES", 4096)
    households = _households(1000)
    path = _survey_csv(tmp_path / "s.csv", households)
    batches = list(iter_batches(path, batch_rows=batch_rows))
    table = _all(batches)
    expected = pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(
        column_types=dict.fromkeys(["household", "age", "sex", "flags", "income"], pa.string()),
        strings_can_be_null=False))
    assert table.equals(expected)
    total = sum(size for _, size in households)
    assert [b.rows_done for b in batches] == list(accumulate(b.table.num_rows for b in batches))
    assert batches[-1].rows_done == total
    assert batches[-1].bytes_done == batches[-1].bytes_total == path.stat().st_size
    assert all(b.rows_total is None and b.kind == "line" for b in batches)
    owner: dict[str, int] = {}
    for number, batch in enumerate(batches):
        assert batch.table.num_rows <= batch_rows
        assert batch.lines.tolist() == list(range(batch.first_line, batch.first_line + batch.table.num_rows))
        for label in set(batch.table.column("household").to_pylist()):
            assert owner.setdefault(label, number) == number, f"household {label} split"
    assert len(owner) == 1000
    if batch_rows == 1000:  # about batch_rows: filled up to the last whole household
        assert all(b.table.num_rows > 1000 - 5 for b in batches[:-1])


def test_a_household_larger_than_a_batch_is_one_batch(tmp_path: Path) -> None:
    path = _survey_csv(tmp_path / "s.csv", [("1", 2), ("2", 9), ("3", 1), ("4", 3)])
    sizes = [b.table.num_rows for b in iter_batches(path, batch_rows=4)]
    assert sizes == [2, 9, 4]


def test_a_household_appearing_again_names_both_lines(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", "household,age\n1,30\n1,31\n2,40\n3,5\n1,60\n")
    with pytest.raises(HouseholdError) as caught:
        list(iter_batches(path))
    assert str(caught.value) == (
        f"{path}: household 1 appears again at line 6 after other households (first at line 2); "
        "sort the file by household"
    )
    assert caught.value.file == str(path)
    assert "请按户排序文件" in caught.value.text("zh")


@pytest.mark.parametrize(
    ("labels", "kind"),
    [
        ([str(n) for n in range(1, 1501)], "ascending digits"),
        ([str(n) for n in range(3000, 1500, -1)], "descending digits"),
        ([f"H-{n:05d}" for n in range(1, 1501)], "not digits"),
    ],
)
def test_a_household_appearing_again_chunks_later(
    tmp_path: Path, small_blocks: None, labels: list[str], kind: str
) -> None:
    households = [(label, 1 + n % 3) for n, label in enumerate(labels)]
    again = households[5]
    path = _survey_csv(tmp_path / "s.csv", [*households, again])
    first = 2 + sum(size for _, size in households[:5])
    line = 2 + sum(size for _, size in households)
    expected = f"household {again[0]} appears again at line {line} after other households"
    expected += f" (first at line {first})"
    with pytest.raises(HouseholdError, match=re.escape(expected)):
        list(iter_batches(path, batch_rows=50))


def test_digit_labels_differ_by_their_zeros(tmp_path: Path, small_blocks: None) -> None:
    """0007 and 7 are two households (the integer keys keep the length)."""
    households = [(f"{n:04d}", 2) for n in range(1, 600)] + [(str(n), 2) for n in range(1, 600)]
    batches = list(iter_batches(_survey_csv(tmp_path / "s.csv", households), batch_rows=64))
    assert len(set(_all(batches).column("household").to_pylist())) == 1198


def test_columns_are_mapped_from_the_files_headers(tmp_path: Path) -> None:
    text = "户号,年龄,性别,备注\nA1,34,m,x\nA1,8,f,y\nB2,67,f,z\n"
    path = _write(tmp_path / "s.csv", text, "gbk")
    batches = list(iter_batches(path, columns={"age": "年龄", "household": "户号"}))
    assert _all(batches).to_pydict() == {"household": ["A1", "A1", "B2"], "age": ["34", "8", "67"]}
    mapped = iter_batches(path, columns={"age": "年龄", "household": "户号", "sex": "性别"})
    assert next(mapped).table.column_names == ["household", "age", "sex"]


def test_a_missing_required_column_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", "household,sex,备注\n1,m,x\n")
    with pytest.raises(HouseholdError) as caught:
        iter_batches(path)
    message = str(caught.value)
    assert message == (
        f"{path}: expected columns household and age (or birth_date), optionally region, year, weight, "
        "sex, flags, income, late; found household, sex, 备注"
    )
    assert "\n" not in message and "表头应有" in caught.value.text("zh")
    with pytest.raises(HouseholdError, match=r"late \(with --column household=户号\); found 户号, sex$"):
        iter_batches(_write(tmp_path / "zh.csv", "户号,sex\n1,m\n"), columns={"household": "户号"})
    with pytest.raises(HouseholdError, match="no column 年龄 \\(given for age by --column\\)"):
        iter_batches(path, columns={"age": "年龄"})
    with pytest.raises(OptionError, match="--column: years is not a column name"):
        iter_batches(path, columns={"years": "年"})
    with pytest.raises(HouseholdError, match="found no header"):
        iter_batches(_write(tmp_path / "empty.csv", ""))


def test_an_empty_household_label_names_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", "household,age\n1,30\n ,31\n")
    with pytest.raises(HouseholdError, match=f"{path}:3: household: empty"):
        list(iter_batches(path))


def test_a_huge_field_does_not_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = "低" * 200_000
    path = _write(tmp_path / "s.csv", f"household,age,flags\n1,30,{big}\n1,31,x\n2,5,\n")
    table = _all(list(iter_batches(path)))
    assert len(table.column("flags")[0].as_py()) == 200_000 and table.num_rows == 3
    monkeypatch.setattr(files, "CSV_BLOCK_BYTES", 65_536)  # a row longer than a block: one clear line
    with pytest.raises(HouseholdError, match="the row near line 2 is longer than 64 KiB"):
        list(iter_batches(path))


def test_parquet_round_trip_in_batches(tmp_path: Path, small_blocks: None) -> None:
    households = _households(300)
    ids = [int(label) for label, size in households for _ in range(size)]
    original = pa.table({
        "household": pa.array(ids, pa.int64()),
        "age": pa.array([(7 * i) % 90 for i in range(len(ids))], pa.int16()),
        "flags": pa.array(["低保" if i % 5 == 0 else "" for i in range(len(ids))]),
        "extra": pa.array([1.5] * len(ids)),
    })
    path = tmp_path / "survey.parquet"
    pq.write_table(original, path, row_group_size=17)
    assert pq.ParquetFile(path).metadata.num_row_groups > 10
    batches = list(iter_batches(path, batch_rows=40))
    table = _all(batches)
    assert table.equals(original.select(["household", "age", "flags"]))
    assert table.schema.field("age").type == pa.int16()
    assert all(b.kind == "row" and b.rows_total == len(ids) and b.bytes_total is None for b in batches)
    assert batches[0].first_line == 1 and batches[-1].rows_done == len(ids)
    owner: dict[int, int] = {}
    for number, batch in enumerate(batches):
        assert batch.table.num_rows <= 40
        for label in set(batch.table.column("household").to_pylist()):
            assert owner.setdefault(label, number) == number


def test_parquet_by_its_magic_bytes_and_its_repeats_by_row(tmp_path: Path) -> None:
    path = tmp_path / "survey.data"  # no Parquet suffix: the file starts with PAR1
    pq.write_table(pa.table({"household": ["a", "a", "b", "a"], "birth_date": ["1990-01-01"] * 4}), path)
    with pytest.raises(HouseholdError, match="household a appears again at row 4 after other households "
                                             "\\(first at row 1\\)"):
        list(iter_batches(path))


def test_a_parquet_household_appearing_again_row_groups_later(tmp_path: Path, small_blocks: None) -> None:
    ids = [h for h in range(1, 201) for _ in range(2)] + [5]
    path = tmp_path / "survey.pq"
    pq.write_table(pa.table({"household": ids, "age": [30] * len(ids)}), path, row_group_size=50)
    with pytest.raises(HouseholdError, match=re.escape("household 5 appears again at row 401 after other "
                                                       "households (first at row 9)")):
        list(iter_batches(path, batch_rows=30))


def test_progress_and_a_file_without_rows(tmp_path: Path, small_blocks: None) -> None:
    path = _survey_csv(tmp_path / "s.csv", _households(2000))
    done = [b.bytes_done for b in iter_batches(path, batch_rows=500)]  # pyarrow reads ahead: approximate
    assert len(done) > 10 and done == sorted(done) and done[-1] == path.stat().st_size
    assert list(iter_batches(_write(tmp_path / "header.csv", "household,age\r\n"))) == []


def test_files_that_are_not_survey_files_are_refused(tmp_path: Path) -> None:
    refused = [Path("/dev/zero"), tmp_path]
    fifo = tmp_path / "fifo"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
        refused.append(fifo)
    for path in refused:
        with pytest.raises(HouseholdError, match="not a regular file") as caught:
            iter_batches(path)
        assert caught.value.file == str(path)
    with pytest.raises(HouseholdError, match="cannot read the file"):
        iter_batches(tmp_path / "missing.csv")
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00household,age")
    with pytest.raises(HouseholdError, match="not a CSV file: binary content"):
        iter_batches(tmp_path / "book.xlsx")
    (tmp_path / "bad.parquet").write_bytes(b"household,age\n1,2\n")
    with pytest.raises(HouseholdError, match="cannot be read as Parquet"):
        iter_batches(tmp_path / "bad.parquet")


# --- writing -----------------------------------------------------------------------------------

RESULT = pa.table(
    {"household": ["1", "2"], "paid_fen": pa.array([38000, 0], pa.int64()), "地区": ["南京", "北京"]}
)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_the_writer_writes_batch_after_batch(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"out{suffix}"
    with open_writer(target) as writer:
        writer.write(RESULT)
        writer.write(RESULT.slice(1))
        assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    if suffix == ".csv":
        assert target.read_text(encoding="utf-8") == (
            '"household","paid_fen","地区"\n"1",38000,"南京"\n"2",0,"北京"\n"2",0,"北京"\n'
        )
    else:
        assert pq.ParquetFile(target).metadata.num_row_groups == 2
        assert pq.read_table(target).equals(pa.concat_tables([RESULT, RESULT.slice(1)]))
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_the_old_file_is_left_intact_when_the_body_raises(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "out.result"
    target.write_text("the previous results\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="interrupted"), open_writer(target, fmt) as writer:
        writer.write(RESULT)
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "the previous results\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.result"]


def test_the_old_file_is_left_intact_on_a_write_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(ValueError, match="another schema"), open_writer(target) as writer:
        writer.write(RESULT)
        writer.write(RESULT.select(["household"]))

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError, match="No space left"), open_writer(target) as writer:
        writer.write(RESULT)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_the_writer_needs_a_format(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match=r"--output: cannot tell the format of .*out\.txt"):
        open_writer(tmp_path / "out.txt")
    with open_writer(tmp_path / "out.pq") as writer:
        writer.write(RESULT.slice(0, 0))  # no rows: a Parquet file with the schema
    assert pq.read_table(tmp_path / "out.pq").schema.equals(RESULT.schema)
