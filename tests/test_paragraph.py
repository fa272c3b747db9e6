"""Chinese line breaking in the text output (premium_calc/render/paragraph.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from premium_calc.render.paragraph import NO_LINE_END, NO_LINE_START, fill, units

NOTE = (
    "毕节市：毕节的汇总给出的是全省标准：每人400元，集中缴费期2024-09-23至2025-02-28；"
    "集中缴费期外参保（零星征缴期2025-03-01至12-31，非新生儿、非困难群体）按全额1070元缴费。"
)


def test_a_note_keeps_dates_and_amounts_whole_and_hangs_under_its_label() -> None:
    lines = fill(NOTE, 40, prefix="注：")
    assert lines == [
        "注：毕节市：毕节的汇总给出的是全省标准：",
        "    每人400元，集中缴费期2024-09-23至",
        "    2025-02-28；集中缴费期外参保（零星征",
        "    缴期2025-03-01至12-31，非新生儿、非",  # 39 cells: 困 would make 41
        "    困难群体）按全额1070元缴费。",
    ]


def test_english_breaks_at_spaces_and_keeps_web_addresses_whole() -> None:
    url = "<https://m.jiusongjiankang.com/health/news/5928243.html>"
    text = f"jiusongjiankang summaries {url} (confidence: low)"
    assert fill(text, 64, prefix="  [1] ") == [  # the address line is 62 cells
        "  [1] jiusongjiankang summaries",
        "      <https://m.jiusongjiankang.com/health/news/5928243.html>",
        "      (confidence: low)",
    ]


def test_a_unit_wider_than_the_line_is_cut_by_cells() -> None:
    assert fill("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


_TEXT = st.text(
    alphabet=st.sampled_from([*"缴费标准每人元年度", *"，。、；：（）“”", *"0123456789-", " ", *"abc"]),
    max_size=120,
)


@given(_TEXT, st.integers(min_value=8, max_value=60), st.sampled_from(["", "注：", "  "]))
def test_filling_loses_nothing_and_keeps_to_the_width(text: str, width: int, prefix: str) -> None:
    lines = fill(text, width, prefix)
    assert all(cell_len(line) <= max(width, cell_len(prefix) + 4) for line in lines)
    indent = " " * cell_len(prefix)
    body = [line[len(prefix) :] if i == 0 else line[len(indent) :] for i, line in enumerate(lines)]
    assert "".join(body).replace(" ", "") == text.replace(" ", "")
    assert "".join(units(text)) == text


@given(_TEXT, st.integers(min_value=12, max_value=60))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(text: str, width: int) -> None:
    # Holds wherever a unit fits on a line (units are at most a few marks and one character or
    # run; runs of marks longer than the line are the only exception and are not generated).
    for unit in units(text):
        if cell_len(unit) > width:
            return
    lines = fill(text, width)
    for line in lines[1:]:
        assert not line or line[0] not in NO_LINE_START, lines
    for line in lines[:-1]:
        assert not line or line[-1] not in NO_LINE_END, lines
