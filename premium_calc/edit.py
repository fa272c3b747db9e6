"""Edit rate files safely: comments and layout kept, validated before anything is replaced.

:func:`set_value` changes one value of one coverage year, :func:`new_year` adds a coverage
year copied from another one (with optional bumps). Every edit:

1. resolves the region through the rate book (a region id can only name a discovered rate
   file; the file must lie inside the book's rate directories and be writable);
2. parses the ``[[year]]`` entry being edited with ``tomlkit``, changes it and renders it;
   every byte outside that entry is copied unchanged, and inside it only the changed
   lines differ;
3. validates the new text (TOML syntax, the rate-file schema and every *error* rule of
   :mod:`premium_calc.validate`, for the file and for every region that inherits from it):
   an edit that introduces an error changes nothing and raises :class:`EditError`;
4. writes atomically: a temporary file in the same directory, flushed and ``fsync`` ed,
   given the original file mode, then ``os.replace`` d over the original. A failure at
   any step leaves the original file as it was.

With ``dry_run=True`` nothing is written: :meth:`EditResult.diff` shows the change.

Keys (:data:`KEY_HELP`)::

    subsidy                              the year's fiscal subsidy        -> subsidy_source
    collection.start, collection.end     the collection window (dates)   -> collection.source
    late.amount, late.start, late.end, late.waiting_days                 -> late.source
    category.ID.individual               a category's flat amount        -> category source
    category.ID.tiers.TIER               a category's amount for a tier
    category.ID.subsidy                  a category's own fiscal subsidy
    category.ID.includes.NAME            part of individual that is another premium (ltc)
    category.ID.below_minimum            true/false (no source)
    assisted.ID.pays | pays_share | assistance   an assisted rule's amount -> rule source
    note, collection.note, late.note, category.ID.note, assisted.ID.note  (text, no source)

The source given with a value (``source_url``, ``source_title``, ``confidence``) is written
where the format keeps the source of that value (named after the arrow). A category or
assisted rule has one source for all its values.

The rate book keeps what it has read: after an edit, make a new
:class:`~premium_calc.ratebook.RateBook` to see the new values.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import os
import re
import stat
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import PremiumCalcError, RateFileError
from .ratebook import RateBook, Region, load_rate_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

if TYPE_CHECKING:
    from tomlkit.items import Item, Table

    from .validate import Problem

FEN = Decimal("0.01")
CONFIDENCES = ("high", "medium", "low")
DEFAULT_CONFIDENCE = "medium"

KEY_HELP = (
    "KEY is one of: subsidy; collection.start, collection.end (YYYY-MM-DD); late.amount,"
    " late.start, late.end, late.waiting_days; category.ID.individual,"
    " category.ID.tiers.TIER, category.ID.subsidy, category.ID.includes.NAME,"
    " category.ID.below_minimum (true/false); assisted.ID.pays, assisted.ID.pays_share"
    " (e.g. 50%), assisted.ID.assistance; notes: note, collection.note, late.note,"
    " category.ID.note, assisted.ID.note. Amounts are yuan (400 or 538.36). The --source"
    " is recorded where the value's source is kept: subsidy_source, collection.source,"
    " late.source, or the category's / assisted rule's source."
)


class EditError(PremiumCalcError):
    """An edit that cannot be made; nothing was changed. ``problems`` lists what it would break."""

    def __init__(self, message: str, problems: Iterable[Problem] = (), headline: str = "") -> None:
        super().__init__(message)
        self.problems = tuple(problems)
        self.headline = headline

    def describe(self, shown: Callable[[str], str] = str) -> str:
        """The message, with each problem's file shown through ``shown`` (e.g. relative)."""
        if not self.problems or not self.headline:
            return self.message
        return _problem_summary(self.headline, self.problems, shown)


def _problem_summary(
    headline: str, problems: Sequence[Problem], shown: Callable[[str], str] = str
) -> str:
    listed = "; ".join(p.render(shown(p.file)) for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"{headline}: {listed}{more}"


@dataclass(frozen=True)
class EditResult:
    """What an edit did (or, with ``dry_run``, would do)."""

    path: Path
    region: str
    year: int
    old_text: str
    new_text: str
    written: bool
    dry_run: bool
    notes: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()
    label: str = ""

    @property
    def changed(self) -> bool:
        return self.old_text != self.new_text

    def diff(self, name: str | None = None) -> str:
        """A unified diff of the file (empty when nothing changes)."""
        shown = name or str(self.path)
        a, b = (shown, shown) if Path(shown).is_absolute() else (f"a/{shown}", f"b/{shown}")
        return "".join(
            difflib.unified_diff(
                self.old_text.splitlines(keepends=True),
                self.new_text.splitlines(keepends=True),
                fromfile=a,
                tofile=b,
            )
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "region": self.region,
            "year": self.year,
            "edit": self.label,
            "changed": self.changed,
            "written": self.written,
            "dry_run": self.dry_run,
            "notes": list(self.notes),
            "warnings": [w.as_dict() for w in self.warnings],
            "diff": self.diff(),
        }


# --- keys -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeySpec:
    """A parsed ``rates set`` key."""

    raw: str
    section: str  # "year", "collection", "late", "category", "assisted"
    ident: str | None  # category / assisted id
    field: str
    sub: str | None  # tier id (tiers) or component (includes)
    kind: str  # money, rate, date, int, bool, text

    @property
    def sourced(self) -> bool:
        return self.kind != "text" and self.field != "below_minimum"


_ID = r"[a-z][a-z0-9_]*"
_KEY_FORMS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"^(subsidy)$"), "year", "money"),
    (re.compile(r"^(note)$"), "year", "text"),
    (re.compile(r"^collection\.(start|end)$"), "collection", "date"),
    (re.compile(r"^collection\.(note)$"), "collection", "text"),
    (re.compile(r"^late\.(amount)$"), "late", "money"),
    (re.compile(r"^late\.(start|end)$"), "late", "date"),
    (re.compile(r"^late\.(waiting_days)$"), "late", "int"),
    (re.compile(r"^late\.(note)$"), "late", "text"),
    (re.compile(rf"^category\.({_ID})\.(individual|subsidy)$"), "category", "money"),
    (re.compile(rf"^category\.({_ID})\.(tiers|includes)\.({_ID})$"), "category", "money"),
    (re.compile(rf"^category\.({_ID})\.(below_minimum)$"), "category", "bool"),
    (re.compile(rf"^category\.({_ID})\.(note)$"), "category", "text"),
    (re.compile(rf"^assisted\.({_ID})\.(pays|assistance)$"), "assisted", "money"),
    (re.compile(rf"^assisted\.({_ID})\.(pays_share)$"), "assisted", "rate"),
    (re.compile(rf"^assisted\.({_ID})\.(note)$"), "assisted", "text"),
]


def parse_key(key: str) -> KeySpec:
    """Parse a ``rates set`` key (see :data:`KEY_HELP`)."""
    text = key.strip()
    for pattern, section, kind in _KEY_FORMS:
        m = pattern.match(text)
        if not m:
            continue
        groups = m.groups()
        if section in ("year", "collection", "late"):
            return KeySpec(text, section, None, groups[0], None, kind)
        sub = groups[2] if len(groups) > 2 else None
        return KeySpec(text, section, groups[0], groups[1], sub, kind)
    raise EditError(f"{key!r}: not a key that can be set (expected {KEY_HELP[len('KEY is '):]})")


def toml_literal(kind: str, value: str, key: str = "value") -> str:
    """The TOML text of a value given on the command line, checked for its kind."""
    raw = value.strip()
    if kind == "money":
        try:
            amount = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            amount = Decimal(-1)
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(FEN):
            raise EditError(
                f"{key} = {value!r}: not an amount (expected yuan, at most two decimals,"
                " such as 400 or 538.36)"
            )
        return _decimal_text(amount)
    if kind == "rate":
        percent = raw.endswith("%")
        try:
            share = Decimal(raw[:-1] if percent else raw) / (100 if percent else 1)
        except InvalidOperation:
            share = Decimal(-1)
        if not share.is_finite() or not 0 <= share <= 1:
            raise EditError(f"{key} = {value!r}: not a share (expected e.g. 50% or 0.5)")
        return _string(raw.replace(" ", "")) if percent else _decimal_text(share)
    if kind == "date":
        try:
            return dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            raise EditError(f"{key} = {value!r}: not a date (expected YYYY-MM-DD)") from None
    if kind == "int":
        if not raw.isdigit():
            raise EditError(f"{key} = {value!r}: not a whole number of days (expected e.g. 90)")
        return str(int(raw))
    if kind == "bool":
        if raw.lower() not in ("true", "false"):
            raise EditError(f"{key} = {value!r}: not true or false (expected true or false)")
        return raw.lower()
    return _string(value)


def _decimal_text(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return str(int(amount))
    return format(amount.normalize(), "f")


def _string(text: str) -> str:
    import tomlkit

    return tomlkit.string(text).as_string()


def source_literal(url: str, title: str | None, confidence: str | None) -> str:
    """``{ title = ..., url = ..., confidence = ... }`` for a value's source."""
    conf = confidence or DEFAULT_CONFIDENCE
    if conf not in CONFIDENCES:
        raise EditError(f"--confidence {conf!r}: not a confidence (expected high, medium or low)")
    if not re.match(r"^https?://\S+$", url.strip()):
        raise EditError(f"--source {url!r}: not a web address (expected https://...)")
    shown = (title or url).strip()
    return f"{{ title = {_string(shown)}, url = {_string(url.strip())}, confidence = {_string(conf)} }}"


# --- finding the file -------------------------------------------------------------------


def resolve_target(book_or_path: RateBook | Path | str, region: str) -> tuple[RateBook, str, Path]:
    """The book, region id and file an edit of ``region`` writes to (checked).

    ``book_or_path`` is a rate book, or a rate directory: then the book is that directory
    over the bundled rates, and the region's file must be in that directory.
    """
    limit: Path | None = None
    if isinstance(book_or_path, RateBook):
        book = book_or_path
    else:
        directory = Path(book_or_path)
        if not directory.is_dir():
            raise EditError(f"{directory}: not a rate directory (expected a directory of rate files)")
        book = RateBook([directory], use_env=False)
        limit = directory.resolve()
    region_id = book.find(region)
    path = book.path_of(region_id)
    real = path.resolve()
    roots = [limit] if limit is not None else list(book.dirs)
    if not any(_inside(real, root) for root in roots):
        where = str(limit) if limit is not None else "the rate directories"
        raise EditError(
            f"{region_id}: its file {real} is not inside {where}; nothing was changed"
            f" (expected a file under a rate directory: copy it to {region_id}.toml in one)"
        )
    if not real.is_file():
        raise EditError(f"{region_id}: {real} is not a regular file; nothing was changed")
    if not os.access(real, os.W_OK) or not os.access(real.parent, os.W_OK):
        raise EditError(
            f"{region_id}: {real} is not writable (bundled with an installed package?);"
            f" nothing was changed (expected a writable file: copy it to {region_id}.toml in a"
            " directory given with --rates-dir or PREMIUM_CALC_RATES, and edit the copy)"
        )
    return book, region_id, real


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


# --- year blocks ------------------------------------------------------------------------


@dataclass
class _Blocks:
    """A file's text cut into the ``[[year]]`` entries (by line) and what lies around them."""

    lines: list[str]
    spans: list[tuple[int, int]]  # 0-based [start, end) line ranges, one per [[year]]

    def text(self, index: int) -> str:
        start, end = self.spans[index]
        return "".join(self.lines[start:end])

    def replace(self, index: int, new: str) -> str:
        start, end = self.spans[index]
        return "".join(self.lines[:start]) + new + "".join(self.lines[end:])

    def insert_at(self, line: int, new: str) -> str:
        return "".join(self.lines[:line]) + new + "".join(self.lines[line:])


def _year_blocks(text: str, region: Region, path: Path) -> _Blocks:
    from .tomlpos import index_lines

    index = index_lines(text)
    lines = text.splitlines(keepends=True)
    count = len(region.data.year)
    starts = [index.get(("year", i)) for i in range(count)]
    tops = sorted(
        {line for key, line in index.items() if len(key) == 1 and line > 0}
        | {s for s in starts if s is not None}
    )
    spans: list[tuple[int, int]] = []
    for i, start in enumerate(starts):
        if start is None:
            raise _cannot_locate(path, i)
        later = [t for t in tops if t > start]
        end = later[0] - 1 if later else len(lines)
        spans.append((start - 1, end))
    blocks = _Blocks(lines, spans)
    # Make sure each block is exactly the entry it should be.
    for i, entry in enumerate(region.data.year):
        try:
            parsed = tomllib.loads(blocks.text(i))
        except tomllib.TOMLDecodeError:
            raise _cannot_locate(path, i) from None
        years = parsed.get("year")
        if not isinstance(years, list) or len(years) != 1 or years[0].get("coverage") != entry.coverage:
            raise _cannot_locate(path, i)
    return blocks


def _cannot_locate(path: Path, index: int) -> EditError:
    return EditError(
        f"{path}: cannot locate [[year]] entry {index + 1} as its own table; nothing was changed"
        " (expected [[year]] tables as in rates/README.md; edit this file by hand)"
    )


def _split_trailing(block: str) -> tuple[str, str]:
    """``(content, trailing)``: trailing blank and comment lines belong to what follows."""
    lines = block.splitlines(keepends=True)
    cut = len(lines)
    while cut > 0 and (not lines[cut - 1].strip() or lines[cut - 1].lstrip().startswith("#")):
        cut -= 1
    return "".join(lines[:cut]), "".join(lines[cut:])


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _same_newlines(original: str, rendered: str) -> str:
    """New lines end like the original's where the original ends every line with CRLF."""
    if "\r\n" in original and "\n" not in original.replace("\r\n", ""):
        return re.sub(r"(?<!\r)\n", "\r\n", rendered)
    return rendered


# --- tomlkit helpers --------------------------------------------------------------------


def _parse_block(text: str) -> Any:
    import tomlkit

    doc = tomlkit.parse(text)
    _fix_dates(doc)
    return doc


def _fix_dates(node: Any) -> None:
    """tomlkit drops the blank after a date inside an inline table: keep it with the date."""
    from tomlkit.items import AoT, Date, DateTime, InlineTable, Table, Time
    from tomlkit.toml_document import TOMLDocument

    if isinstance(node, AoT):
        for table in node.body:
            _fix_dates(table)
        return
    if isinstance(node, TOMLDocument | Table | InlineTable):
        container = node if isinstance(node, TOMLDocument) else node.value
        for key, item in container.body:
            if key is None:
                continue
            if (
                isinstance(node, InlineTable)
                and isinstance(item, Date | DateTime | Time)
                and item.trivia.comment_ws
                and hasattr(item, "_raw")
            ):
                item._raw += item.trivia.comment_ws
                item.trivia.comment_ws = ""
            _fix_dates(item)


def _value(literal: str) -> Item:
    import tomlkit

    item = tomlkit.value(literal)
    _fix_dates(item)
    return item


def _inline_text(pairs: list[tuple[str, str]]) -> str:
    return "{ " + ", ".join(f"{k} = {v}" for k, v in pairs) + " }" if pairs else "{}"


def _inline_pairs(item: Any) -> list[tuple[str, str]]:
    """``[(key text, value text)]`` of an inline table, in order."""
    out: list[tuple[str, str]] = []
    for key, value in item.value.body:
        if key is None:
            continue
        out.append((key.as_string().strip(), value.as_string().strip()))
    return out


#: The usual order of members in the inline tables of rate files.
_MEMBER_ORDER = ("amount", "start", "end", "waiting_days", "source", "note")


def _set_member(table: Table, name: str, member: str, literal: str | None) -> None:
    """Set (or with ``None`` remove) ``member`` of the table or inline table ``table[name]``."""
    from tomlkit.items import InlineTable
    from tomlkit.items import Table as TomlTable

    current = table.get(name)
    if isinstance(current, TomlTable):
        if literal is None:
            if member in current:
                del current[member]
        else:
            current[member] = _value(literal)
        return
    pairs = _inline_pairs(current) if isinstance(current, InlineTable) else []
    keys = [k.strip('"') for k, _ in pairs]
    if literal is None:
        pairs = [(k, v) for k, v in pairs if k.strip('"') != member]
    elif member in keys:
        pairs[keys.index(member)] = (pairs[keys.index(member)][0], literal)
    else:
        # A new member goes before the first one that comes later in the usual order.
        rank = _MEMBER_ORDER.index(member) if member in _MEMBER_ORDER else len(_MEMBER_ORDER)
        position = next(
            (
                i
                for i, k in enumerate(keys)
                if k in _MEMBER_ORDER and _MEMBER_ORDER.index(k) > rank
            ),
            len(pairs),
        )
        pairs.insert(position, (member, literal))
    table[name] = _value(_inline_text(pairs))


def _set_after(table: Table, after: str, name: str, item: Item) -> None:
    """``table[name] = item``, a new key placed right after ``after`` where tomlkit allows."""
    if name in table:
        table[name] = item
        return
    container = getattr(table, "value", None)
    insert_after = getattr(container, "_insert_after", None)
    if insert_after is not None and after in table:
        try:
            insert_after(after, name, item)
            return
        except Exception:  # pragma: no cover - tomlkit internals changed: fall back
            pass
    table[name] = item


def _get_member(table: Table, name: str, member: str) -> Any:
    current = table.get(name)
    if current is None:
        return None
    return current.get(member)


def _render_block(original: str, doc: Any) -> str:
    """Render an edited block; lines tomlkit did not mean to change stay byte for byte."""
    import tomlkit

    rendered = tomlkit.dumps(doc)
    baseline = tomlkit.dumps(_parse_block(original))
    if baseline == original:
        return rendered
    old = original.splitlines(keepends=True)
    base = baseline.splitlines(keepends=True)
    new = rendered.splitlines(keepends=True)
    if len(old) != len(base):
        return rendered
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, base, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out.extend(old[i1:i2] if tag == "equal" else new[j1:j2])
    return "".join(out)


# --- set --------------------------------------------------------------------------------


def set_value(
    book_or_path: RateBook | Path | str,
    region: str,
    year: int,
    key: str,
    value: str,
    *,
    source_url: str | None = None,
    source_title: str | None = None,
    confidence: str | None = None,
    dry_run: bool = False,
) -> EditResult:
    """Set one value of ``region``'s entry for coverage ``year`` (see :data:`KEY_HELP`).

    A value (an amount, a date, a number of days) needs ``source_url``; notes and
    ``below_minimum`` take none. A category or assisted rule this file does not list but
    inherits is added to the entry (for categories, with the whole inherited list, so
    nothing else changes); a ``collection`` or ``late`` table it inherits is copied first.
    """
    spec = parse_key(key)
    literal = toml_literal(spec.kind, value, spec.raw)
    source: str | None = None
    if spec.sourced:
        if not source_url:
            raise EditError(
                f"{spec.raw}: a value needs its source; nothing was changed"
                " (expected --source URL of the notice or page it comes from)"
            )
        source = source_literal(source_url, source_title, confidence)
    elif source_url:
        raise EditError(f"{spec.raw}: a note or flag takes no --source (expected no --source)")
    book, region_id, path = resolve_target(book_or_path, region)
    old_text = _read(path)
    reg = book.region(region_id)
    found = reg.year(year)
    if found is None:
        years = ", ".join(str(y) for y in reg.years()) or "none"
        raise EditError(
            f"{region_id} has no entry for coverage year {year} (years: {years}); nothing was"
            f" changed (expected an existing year: add one with rates new-year {region_id}"
            f" --from Y --year {year})"
        )
    index = found[0]
    blocks = _year_blocks(old_text, reg, path)
    block = blocks.text(index)
    doc = _parse_block(block)
    entry = doc["year"][0]
    notes: list[str] = []
    appendix = _apply_set(book, region_id, year, entry, spec, literal, source, notes)
    new_block = _same_newlines(block, _render_block(block, doc))
    if appendix:
        content, trailing = _split_trailing(new_block)
        nl = _newline(old_text)
        new_block = content + nl + appendix.replace("\n", nl) + trailing
    new_text = blocks.replace(index, new_block)
    label = f"{spec.raw} = {value.strip()}"
    return _finish(book, region_id, path, year, old_text, new_text, dry_run, notes, label)


def _apply_set(
    book: RateBook,
    region_id: str,
    year: int,
    entry: Table,
    spec: KeySpec,
    literal: str,
    source: str | None,
    notes: list[str],
) -> str:
    """Change the tomlkit entry; return text of tables to append to the entry (or "")."""
    if spec.section == "year":
        entry[spec.field] = _value(literal)
        if source is not None:
            _set_after(entry, spec.field, f"{spec.field}_source", _value(source))
        return ""
    if spec.section in ("collection", "late"):
        name = spec.section
        if name not in entry:
            _copy_inherited_table(book, region_id, year, entry, name, notes)
        _set_member(entry, name, spec.field, literal)
        if source is not None:
            _set_member(entry, name, "source", source)
        return ""
    assert spec.ident is not None
    kind = spec.section
    tables = entry.get(kind)
    own = None
    for table in tables or ():
        if table.get("id") == spec.ident:
            own = table
            break
    if own is None:
        return _new_tables(book, region_id, year, entry, spec, literal, source, notes)
    if spec.sub is not None:
        if spec.field not in own:
            seeded = _inherited_members(book, region_id, year, spec)
            if seeded:
                own[spec.field] = _value(_inline_text(seeded))
                notes.append(
                    f"category.{spec.ident}.{spec.field}: copied"
                    f" {', '.join(k for k, _ in seeded)} from the inherited category"
                )
        _set_member(own, spec.field, spec.sub, literal)
    else:
        if kind == "assisted" and spec.field in ("pays", "pays_share", "assistance"):
            for other in ("pays", "pays_share", "assistance"):
                if other != spec.field and other in own:
                    del own[other]
                    notes.append(f"assisted.{spec.ident}.{other} removed (a rule has one amount form)")
        if kind == "category" and spec.field in ("individual", "tiers") and "missing" in own:
            del own["missing"]
            notes.append(f"category.{spec.ident}.missing removed (the amount is now known)")
        own[spec.field] = _value(literal)
    if source is not None:
        if "source" in own:
            notes.append(f"{kind}.{spec.ident}: one source for all its values, now {source}")
        own["source"] = _value(source)
    return ""


def _copy_inherited_table(
    book: RateBook, region_id: str, year: int, entry: Table, name: str, notes: list[str]
) -> None:
    schedule = book.schedule(region_id, year)
    inherited = schedule.collection if name == "collection" else schedule.late
    if inherited is None:
        return
    fields = ("start", "end") if name == "collection" else ("amount", "start", "end", "waiting_days")
    pairs: list[tuple[str, str]] = []
    for f in fields:
        v = getattr(inherited, f)
        if v is None:
            continue
        pairs.append((f, v.isoformat() if isinstance(v, dt.date) else _decimal_text(Decimal(v))))
    origin = schedule.collection_origin if name == "collection" else schedule.late_origin
    where = origin.region if origin is not None else "the parent"
    entry[name] = _value(_inline_text(pairs))
    if pairs:
        copied = ", ".join(k for k, _ in pairs)
        notes.append(f"{name}: copied {copied} from {where} (a table replaces the parent's)")


def _new_tables(
    book: RateBook,
    region_id: str,
    year: int,
    entry: Table,
    spec: KeySpec,
    literal: str,
    source: str | None,
    notes: list[str],
) -> str:
    """Tables to append for a category or assisted rule this entry does not list yet."""
    schedule = book.schedule(region_id, year)
    assert spec.ident is not None
    if spec.section == "category":
        ids = [c.id for c in schedule.categories]
        if entry.get("category") is not None or spec.ident not in ids:
            raise EditError(
                f"{region_id} {year} has no category {spec.ident!r} (categories: {', '.join(ids)});"
                " nothing was changed (expected one of them; add a new category by hand)"
            )
        out = []
        for cat_id in ids:
            lines = ["  [[year.category]]", f"  id = {_string(cat_id)}"]
            if cat_id == spec.ident:
                lines.append(_member_line(spec, literal, _inherited_members(book, region_id, year, spec)))
                if source is not None:
                    lines.append(f"  source = {source}")
            out.append("\n".join(lines) + "\n")
        notes.append(
            f"categories {', '.join(ids)} listed in this entry (a category list replaces the"
            " parent's; the others inherit their values by id)"
        )
        return "\n".join(out)
    rules = {a.id: a for a in schedule.assisted}
    if spec.ident not in rules:
        raise EditError(
            f"{region_id} {year} has no assisted rule {spec.ident!r}"
            f" (rules: {', '.join(rules) or 'none'}); nothing was changed (expected one of them;"
            " add a new rule by hand)"
        )
    if spec.field not in ("pays", "pays_share", "assistance"):
        raise EditError(
            f"{spec.raw}: the rule is inherited from {rules[spec.ident].origin.region}; set its"
            " amount first (pays, pays_share or assistance) to give this entry its own rule"
        )
    rule = rules[spec.ident].rule
    lines = [
        "  [[year.assisted]]",
        f"  id = {_string(rule.id)}",
        f"  name = {{ zh = {_string(rule.name.zh)}, en = {_string(rule.name.en)} }}",
    ]
    if rule.groups:
        lines.append("  groups = [" + ", ".join(_string(g) for g in rule.groups) + "]")
    if rule.disability_grades:
        lines.append("  disability_grades = [" + ", ".join(str(g) for g in rule.disability_grades) + "]")
    if rule.when is not None:
        raise EditError(
            f"{spec.raw}: the inherited rule has a when condition; copy it by hand"
            " (nothing was changed)"
        )
    lines.append(_member_line(spec, literal))
    if source is not None:
        lines.append(f"  source = {source}")
    notes.append(f"assisted rule {rule.id} copied from {rules[spec.ident].origin.region} (merged by id)")
    return "\n".join(lines) + "\n"


def _member_line(spec: KeySpec, literal: str, seeded: list[tuple[str, str]] | None = None) -> str:
    if spec.sub is not None:
        pairs = [(k, v) for k, v in seeded or () if k != spec.sub]
        keys = [k for k, _ in seeded or ()]
        at = keys.index(spec.sub) if spec.sub in keys else len(pairs)
        pairs.insert(at, (spec.sub, literal))
        return f"  {spec.field} = {_inline_text(pairs)}"
    return f"  {spec.field} = {literal}"


def _inherited_members(
    book: RateBook, region_id: str, year: int, spec: KeySpec
) -> list[tuple[str, str]]:
    """The resolved tier amounts or includes of a category, as (key, literal) pairs."""
    if spec.section != "category" or spec.field not in ("tiers", "includes"):
        return []
    schedule = book.schedule(region_id, year)
    for cat in schedule.categories:
        if cat.id == spec.ident:
            values = cat.tier_amounts if spec.field == "tiers" else cat.includes
            return [(k, _decimal_text(v)) for k, v in values.items()]
    return []


# --- new year ---------------------------------------------------------------------------


_BUMP = re.compile(r"^\s*([a-z0-9_.]+)\s*=\s*([+-]?)\s*([0-9]+(?:\.[0-9]+)?)\s*(%?)\s*$")


def parse_bumps(specs: Iterable[str]) -> dict[str, str]:
    """``["individual=+20", "subsidy=+5%"]`` -> ``{"individual": "+20", "subsidy": "+5%"}``."""
    out: dict[str, str] = {}
    for spec in specs:
        m = _BUMP.match(spec)
        if not m:
            raise EditError(
                f"--bump {spec!r}: not a bump (expected KEY=+N, KEY=-N, KEY=+N% or KEY=N,"
                " e.g. individual=+20)"
            )
        out[m[1]] = f"{m[2]}{m[3]}{m[4]}"
    return out


def _bumped(old: Decimal, bump: str, what: str) -> Decimal:
    m = re.match(r"^([+-]?)([0-9]+(?:\.[0-9]+)?)(%?)$", bump.replace(" ", ""))
    if not m:
        raise EditError(f"--bump {what}={bump}: not a bump (expected +N, -N, +N% or N)")
    sign, number, percent = m.groups()
    amount = Decimal(number)
    if percent:
        delta = (old * amount / 100).quantize(FEN, rounding=ROUND_HALF_UP)
        new = old - delta if sign == "-" else old + delta
    elif sign:
        new = old - amount if sign == "-" else old + amount
    else:
        new = amount
    if new < 0:
        raise EditError(f"--bump {what}={bump}: {old} would become {new} (expected an amount >= 0)")
    return new


def new_year(
    book_or_path: RateBook | Path | str,
    region: str,
    from_year: int,
    to_year: int,
    bumps: Mapping[str, str | int | Decimal] | None = None,
    *,
    source_url: str | None = None,
    source_title: str | None = None,
    confidence: str | None = None,
    dry_run: bool = False,
) -> EditResult:
    """Add coverage ``to_year`` to ``region``, copied from its entry for ``from_year``.

    The copy keeps the entry's keys, categories, tiers and assisted rules; ``policy`` and
    the collection/late dates move by ``to_year - from_year`` years; per-value sources are
    dropped (the old ones do not cover the new year). ``bumps`` change amounts:
    ``{"individual": "+20"}`` every category amount (flat and tiers), ``"subsidy"`` every
    subsidy, ``"late.amount"``, or any ``rates set`` amount key (``category.adult.tiers.tier1``);
    values are ``+N``, ``-N``, ``+N%`` (rounded half-up to the fen) or ``N`` (the new amount).
    Without ``source_url`` the year's source is a low-confidence draft note saying so.
    """
    book, region_id, path = resolve_target(book_or_path, region)
    old_text = _read(path)
    reg = book.region(region_id)
    found = reg.year(from_year)
    if found is None:
        years = ", ".join(str(y) for y in reg.years()) or "none"
        raise EditError(
            f"{region_id} has no entry for coverage year {from_year} (years: {years});"
            " nothing was changed (expected --from an existing year)"
        )
    if reg.year(to_year) is not None:
        raise EditError(
            f"{region_id} already has coverage year {to_year}; nothing was changed"
            " (expected a new year: change values with rates set)"
        )
    shift = to_year - from_year
    blocks = _year_blocks(old_text, reg, path)
    content, _ = _split_trailing(blocks.text(found[0]))
    doc = _parse_block(content)
    entry = doc["year"][0]
    notes: list[str] = []
    entry["coverage"] = to_year
    if "policy" in entry:
        entry["policy"] = int(entry["policy"]) + shift
    if source_url:
        entry["source"] = _value(source_literal(source_url, source_title, confidence))
    else:
        title = (
            f"DRAFT: copied from coverage year {from_year} by premium-calc rates new-year;"
            f" replace with the {to_year} notice"
        )
        entry["source"] = _value(f"{{ title = {_string(title)}, confidence = \"low\" }}")
        notes.append("no --source: the year's source is a low-confidence draft")
    if "subsidy_source" in entry:
        del entry["subsidy_source"]
    shifted = []
    for name in ("collection", "late"):
        if name not in entry:
            continue
        if _get_member(entry, name, "source") is not None:
            _set_member(entry, name, "source", None)
        for f in ("start", "end"):
            old = _get_member(entry, name, f)
            if isinstance(old, dt.date):
                _set_member(entry, name, f, _shift_date(old, shift).isoformat())
                shifted.append(f"{name}.{f}")
    for kind in ("category", "assisted"):
        for table in entry.get(kind) or ():
            if "source" in table:
                del table["source"]
    applied = _apply_bumps(entry, dict(bumps or {}), region_id, from_year, reg)
    bump_text = f", bumps {', '.join(f'{k} {v}' for k, v in applied)}" if applied else ""
    shift_text = f"; dates moved by {shift} year(s)" if shifted else ""
    entry["note"] = (
        f"Copied from coverage year {from_year} by premium-calc rates new-year{bump_text}"
        f"{shift_text}. Check every value against the {to_year} notice."
    )
    new_block = _same_newlines(content, _render_block(content, doc))
    nl = _newline(old_text)
    if not new_block.endswith(("\n", "\r")):
        new_block += nl
    position = _insert_line(blocks, reg, to_year)
    if position >= len(blocks.lines):
        tail = "" if old_text.endswith(("\n", "\r")) or not old_text else nl
        new_text = old_text + tail + nl + new_block
    else:
        new_text = blocks.insert_at(position, new_block + nl)
    if shifted:
        notes.append(f"{', '.join(shifted)} moved by {shift} year(s): check them")
    label = f"new coverage year {to_year} from {from_year}{bump_text}"
    return _finish(book, region_id, path, to_year, old_text, new_text, dry_run, notes, label)


def _shift_date(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _insert_line(blocks: _Blocks, region: Region, to_year: int) -> int:
    """Where the new entry goes: before the first later year (and its leading comments)."""
    later = [
        (entry.coverage, i) for i, entry in enumerate(region.data.year) if entry.coverage > to_year
    ]
    if not later:
        return len(blocks.lines)
    _, index = min(later)
    line = blocks.spans[index][0]
    while line > 0 and blocks.lines[line - 1].lstrip().startswith("#"):
        line -= 1
    return line


def _apply_bumps(
    entry: Table, bumps: dict[str, str | int | Decimal], region_id: str, from_year: int, reg: Region
) -> list[tuple[str, str]]:
    from tomlkit.items import InlineTable

    applied: list[tuple[str, str]] = []
    categories = list(entry.get("category") or ())
    for raw_key, raw_bump in bumps.items():
        bump = str(raw_bump)
        if isinstance(raw_bump, int | Decimal) and not bump.startswith(("+", "-")):
            bump = f"+{bump}" if Decimal(bump) >= 0 else bump
        hits = 0

        def change(
            table: Any, name: str, member: str | None = None, *, _bump: str = bump, _key: str = raw_key
        ) -> bool:
            holder = table.get(name)
            if member is not None:
                if not isinstance(holder, InlineTable) or member not in holder:
                    return False
                old = holder[member]
            else:
                old = holder
            if isinstance(old, bool) or not isinstance(old, int | float | Decimal):
                return False
            new = _bumped(Decimal(str(old)), _bump, _key)
            if member is not None:
                _set_member(table, name, member, _decimal_text(new))
            else:
                table[name] = _value(_decimal_text(new))
            return True

        if raw_key == "individual":
            for cat in categories:
                hits += change(cat, "individual")
                tiers = cat.get("tiers")
                if isinstance(tiers, InlineTable):
                    for tier_id in list(tiers):
                        hits += change(cat, "tiers", tier_id)
        elif raw_key == "subsidy":
            hits += change(entry, "subsidy")
            for cat in categories:
                hits += change(cat, "subsidy")
        elif raw_key in ("late", "late.amount"):
            hits += change(entry, "late", "amount")
        else:
            spec = parse_key(raw_key)
            if spec.kind != "money":
                raise EditError(f"--bump {raw_key}: not an amount (expected an amount key)")
            if spec.section in ("year",):
                hits += change(entry, spec.field)
            elif spec.section == "late":
                hits += change(entry, "late", spec.field)
            else:
                for table in entry.get(spec.section) or ():
                    if table.get("id") == spec.ident:
                        hits += change(table, spec.field, spec.sub)
        if not hits:
            parent = reg.parent or "its parent"
            raise EditError(
                f"--bump {raw_key}: the {from_year} entry of {region_id} sets no such amount of"
                f" its own (it may inherit it from {parent}); nothing was changed (expected a"
                " key this entry sets, or bump the parent, or use rates set)"
            )
        applied.append((raw_key, bump))
    return applied


# --- validate and write -----------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise EditError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise EditError(f"{path}: the file is not UTF-8 text") from None


def _coverages(text: str) -> list[object]:
    """The coverage year of each ``[[year]]`` entry of a text (to match problems across edits)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    years = data.get("year")
    if not isinstance(years, list):
        return []
    return [y.get("coverage") if isinstance(y, dict) else None for y in years]


def _signature(problem: Problem, coverages: Sequence[object]) -> tuple[object, ...]:
    """What identifies a problem across an edit: lines and entry indices may move, the
    coverage year of its entry does not."""
    m = re.match(r"year\[(\d+)\]", problem.key)
    year = coverages[int(m[1])] if m and int(m[1]) < len(coverages) else None
    return (problem.file, problem.rule, problem.message, year)


def _new_only(
    after: Sequence[Problem], after_text: str, before: Sequence[Problem], before_text: str
) -> list[Problem]:
    """The problems of ``after`` that ``before`` did not have."""
    after_years, before_years = _coverages(after_text), _coverages(before_text)
    seen = Counter(_signature(p, before_years) for p in before)
    out: list[Problem] = []
    for p in after:
        sig = _signature(p, after_years)
        if seen[sig] > 0:
            seen[sig] -= 1
            continue
        out.append(p)
    return out


def check_edit(
    book: RateBook, region_id: str, path: Path, old_text: str, new_text: str
) -> list[Problem]:
    """Errors the new text introduces, in the file or in regions that inherit from it,
    followed by the warnings it introduces in the file (``severity`` tells them apart)."""
    from .validate import validate_descendants, validate_text

    new_problems = validate_text(book, path, new_text, region_id)
    old_problems = validate_text(book, path, old_text, region_id)
    errors = _new_only(
        [p for p in new_problems if p.is_error],
        new_text,
        [p for p in old_problems if p.is_error],
        old_text,
    )
    if not any(p.is_error for p in new_problems):
        # Only then can the new file be loaded for its children.
        with tempfile.TemporaryDirectory(prefix="premium-calc-") as tmp:
            copy = Path(tmp) / path.name
            copy.write_bytes(new_text.encode("utf-8"))
            try:
                region: Region | None = Region(region_id, path, load_rate_file(copy))
            except RateFileError:
                region = None
        if region is not None:
            before = [p for p in validate_descendants(book, region_id) if p.is_error]
            after = [p for p in validate_descendants(book, region_id, region) if p.is_error]
            errors += _new_only(after, "", before, "")
    warnings = _new_only(
        [p for p in new_problems if not p.is_error],
        new_text,
        [p for p in old_problems if not p.is_error],
        old_text,
    )
    return errors + warnings


def _finish(
    book: RateBook,
    region_id: str,
    path: Path,
    year: int,
    old_text: str,
    new_text: str,
    dry_run: bool,
    notes: list[str],
    label: str,
) -> EditResult:
    problems = check_edit(book, region_id, path, old_text, new_text)
    errors = [p for p in problems if p.is_error]
    if errors:
        headline = f"the edit would break {path.name}, nothing was changed"
        raise EditError(_problem_summary(headline, errors), errors, headline)
    warnings = tuple(p for p in problems if not p.is_error)
    result = EditResult(
        path, region_id, year, old_text, new_text, False, dry_run, tuple(notes), warnings, label
    )
    if dry_run or not result.changed:
        return result
    write_atomic(path, new_text, expected=old_text)
    return dataclasses.replace(result, written=True)


def write_atomic(path: Path, text: str, *, expected: str | None = None) -> None:
    """Replace ``path`` with ``text``: temp file in the same directory, fsync, rename.

    The file mode is kept. With ``expected``, the file must still hold that text (it was
    not changed by someone else meanwhile). On any failure the original is left intact.
    """
    data = text.encode("utf-8")
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError as exc:
        raise EditError(
            f"{path}: cannot read the file ({exc.strerror or exc}); nothing was changed"
        ) from None
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if expected is not None and _read(path) != expected:
            raise EditError(
                f"{path}: the file changed while it was being edited; nothing was changed"
                " (expected to be the only one editing it: try again)"
            )
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise EditError(
            f"{path}: cannot write the file ({exc.strerror or exc}); nothing was changed"
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


__all__ = [
    "KEY_HELP",
    "EditError",
    "EditResult",
    "KeySpec",
    "check_edit",
    "new_year",
    "parse_bumps",
    "parse_key",
    "resolve_target",
    "set_value",
    "toml_literal",
    "write_atomic",
]
