"""``premium-calc rates new-region``: a new rate file for a place of the gazetteer.

:func:`new_region` finds the place (a name or a 行政区划代码 the gazetteer resolves to one
division), and writes ``<parent id>/<slug>.toml`` in the first rate directory of the book
(the user's ``--rates-dir``, else the bundled rates of a checkout). The slug is the place's
English name where the gazetteer records a conventional one (``hohhot``, ``urumqi``), else
the pinyin of its short name (``bijie``, ``cuiping``), as the shipped files are named; the
levels between the file and its parent that have no rate file of their own become folders
(``cn/sichuan/yibin/cuiping.toml`` under ``cn/sichuan`` while 宜宾市 has no file).

The file has a ``[region]`` table (names, ``parent``: the nearest ancestor with a rate file,
``level``, ``code``, aliases) and a first ``[[year]]`` entry commented out, with the keys a
local notice usually gives, filled with the parent's values to be replaced: until someone
fills it in, the file is valid and every coverage year is inherited.

Nothing is written when the place already has a rate file (by code, name or path), when the
name is unknown or ambiguous, or when the new file would not validate. The write is atomic
and never replaces a file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AmbiguousRegionError, EditError, PremiumCalcError, UnknownRegionError, problem_summary
from ..gazetteer import Gazetteer, Place
from ..messages import Note, tr
from ..ratebook.book import RateBook
from ..ratebook.names import header_code
from ..ratebook.schedule import Schedule
from ..ratefiles.reading import REGION_ID
from ..units import exact_text
from .commit import EditResult, sync_directory
from .keys import toml_string
from .target import book_of, check_place
from .validate import validate_text

_SLUG = re.compile(r"[^a-z0-9]+")
#: Chinese punctuation that never starts a line of a comment.
_NO_BREAK_BEFORE = frozenset("，。、；：？！）》」』”’")


@dataclass(frozen=True)
class NewRegionResult(EditResult):
    """What :func:`new_region` did: an :class:`EditResult` whose old text is empty, with the
    place, its parent and the coverage year of the commented entry (``year``)."""

    parent: str = ""
    code: str = ""
    level: str = ""
    name: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = super().as_dict()
        data.update(parent=self.parent, code=self.code, level=self.level, name=self.name)
        return data


def new_region(
    book_or_path: RateBook | Path | str,
    place: str,
    *,
    dry_run: bool = False,
    allow_outside: bool = False,
    lang: str = "en",
) -> NewRegionResult:
    """Write (or with ``dry_run`` show) a new rate file for ``place`` (see the module).

    ``book_or_path`` is a rate book (the file goes into its first directory) or a rate
    directory (the file goes there, over the bundled rates). ``lang`` is the language of the
    file's comments. Raises :class:`UnknownRegionError`, :class:`AmbiguousRegionError` or
    :class:`EditError`; writes nothing then.
    """
    book, _ = book_of(book_or_path)
    root = book.dirs[0]
    gazetteer = Gazetteer.load()
    found = _place(gazetteer, place)
    parent, folders = _parent(book, gazetteer, found)
    region_id = _free_id(book, root, "/".join([*folders, _slug(found)]), found)
    path = root / f"{region_id}.toml"
    _refuse_existing(book, found, path)
    check_place(path, allow_outside=allow_outside or dry_run)
    schedule = _latest(book, parent)
    year = schedule.coverage_year if schedule is not None else 0
    aliases = _aliases(book, gazetteer, found)
    text = render_file(region_id, found, parent, aliases, schedule, lang)
    problems = validate_text(book, path, text, region_id)
    errors = [p for p in problems if p.is_error]
    if errors:
        headline = Note("edit.would_break", file=path.name)
        raise EditError(problem_summary(headline, errors), errors, headline)
    notes = [Note("newregion.inherits", region=region_id, parent=parent)]
    if len(gazetteer.lookup(found.name)) > 1:
        notes.append(Note("newregion.name_shared", name=found.name, code=found.code))
    label = tr("newregion.label", lang, name=found.name, code=found.code, parent=parent)
    result = NewRegionResult(
        path=path,
        region=region_id,
        year=year,
        old_text="",
        new_text=text,
        written=False,
        dry_run=dry_run,
        notes=tuple(notes),
        warnings=tuple(p for p in problems if not p.is_error),
        label=label,
        parent=parent,
        code=found.code,
        level=found.level,
        name=found.name,
    )
    if dry_run:
        return result
    _create(path, text)
    return dataclasses.replace(result, written=True)


# -- the place and where its file goes


def _label(gazetteer: Gazetteer, place: Place) -> str:
    names = [a.name for a in gazetteer.ancestors(place)] + [place.name]
    return f"{' '.join(names)} ({place.code})"


def _place(gazetteer: Gazetteer, query: str) -> Place:
    from ..errors import expect_type

    expect_type(query, str, "place", "a place name or code (text)")
    places = gazetteer.lookup(query)
    if not places:
        suggestions = ", ".join(_label(gazetteer, p) for p in gazetteer.suggest(query, limit=3))
        hint = Note("error.did_you_mean", suggestions=suggestions) if suggestions else ""
        raise EditError(Note("newregion.unknown_place", query=repr(query), hint=hint))
    if len(places) > 1:
        raise AmbiguousRegionError(query, [_label(gazetteer, p) for p in places])
    place = places[0]
    if not place.covered:
        raise EditError(Note("newregion.not_covered", place=place.name, code=place.code))
    return place


def _slug(place: Place) -> str:
    """The last part of a region id: the English name where one is recorded below province
    level (Hohhot, Urumqi), else the pinyin of the short name."""
    english = place.en.split("|")[0] if place.en else ""
    base = english if english.isascii() and english and place.level != "province" else place.pinyin
    slug = _SLUG.sub("", base.lower())
    return slug if slug and slug[0].isalpha() else f"p{place.code}"


def _own_file(book: RateBook, place: Place) -> str | None:
    """The region id of a rate file whose ``code`` is the place's, if there is one."""
    region_id, inside = book.locate(place.code)
    return region_id if inside is None else None


def _parent(book: RateBook, gazetteer: Gazetteer, place: Place) -> tuple[str, list[str]]:
    """The nearest ancestor with a rate file (``cn`` if none), and the path parts of the
    new file's folder (the parent's id, then the levels in between without a file)."""
    parent = "cn"
    folders = ["cn"]
    for ancestor in gazetteer.ancestors(place):
        own = _own_file(book, ancestor)
        if own is not None:
            parent, folders = own, [own]
        else:
            folders.append(_slug(ancestor))
    return parent, folders


def _free_id(book: RateBook, root: Path, region_id: str, place: Place) -> str:
    """``region_id``, or ``region_id_<code>`` where another place's file already has that id."""
    existing = root / f"{region_id}.toml"
    if region_id in book.region_ids():
        existing = book.path_of(region_id)
    elif not existing.exists():
        return region_id
    code = header_code(existing)
    if code == place.code:
        raise EditError(Note("newregion.exists", place=place.name, file=existing))
    candidate = f"{region_id}_{place.code}"
    return candidate if REGION_ID.match(candidate) else region_id


def _refuse_existing(book: RateBook, place: Place, path: Path) -> None:
    """A place that has a rate file already (by its code, by its official name, or at the
    path) gets no second one."""
    own = _own_file(book, place)
    if own is not None:
        raise EditError(Note("newregion.exists", place=place.name, file=book.path_of(own)))
    claimed = book.find(place.name) if _claimed(book, place.name) else None  # ambiguous: its error
    if claimed is not None and header_code(book.path_of(claimed)) in (None, place.code):
        raise EditError(Note("newregion.exists", place=place.name, file=book.path_of(claimed)))
    if path.exists():
        raise EditError(Note("newregion.exists", place=place.name, file=path))


def _claimed(book: RateBook, name: str) -> bool:
    """Whether a name already finds a rate file (one, or several: then it is ambiguous)."""
    try:
        book.find(name)
    except AmbiguousRegionError:
        return True
    except UnknownRegionError:
        return False
    return True


def _aliases(book: RateBook, gazetteer: Gazetteer, place: Place) -> list[str]:
    """The short name and other forms, and other English names: only those that name this
    place alone in the gazetteer and that no rate file claims yet."""
    record_forms = [place.short, *_forms(place)]
    english = place.en.split("|")[1:] if place.en else []
    out: list[str] = []
    for alias in [*record_forms, *english]:
        if not alias or alias == place.name or alias in out:
            continue
        if [p.code for p in gazetteer.lookup(alias)] != [place.code]:
            continue
        if _claimed(book, alias):
            continue
        out.append(alias)
    return out


def _forms(place: Place) -> list[str]:
    """The other Chinese names people type for a place (阿坝州, 威宁县), from the gazetteer."""
    from ..gazetteer.names import derive, spell

    return spell(place.name, derive(place.name))[1]


def _latest(book: RateBook, parent: str) -> Schedule | None:
    """The parent's standard for its newest coverage year (for the skeleton): the parent's own
    newest year, else that of the nearest ancestor with years."""
    for region in reversed(book.chain(parent)):
        for year in sorted(region.years(), reverse=True):
            try:
                return book.standard(parent, year)
            except PremiumCalcError:
                continue
    return None


# -- the file


def render_file(
    region_id: str,
    place: Place,
    parent: str,
    aliases: list[str],
    schedule: Schedule | None,
    lang: str = "en",
) -> str:
    """The text of a new rate file: the ``[region]`` table and a commented first year."""
    english = place.en.split("|")[0] if place.en else place.pinyin.capitalize()
    file = f"rates/{region_id}.toml"
    header = tr("newregion.file_header", lang, file=file, name=place.name, code=place.code, parent=parent)
    lines = [
        *("# " + line for line in _wrapped(header)),
        *("# " + line for line in _wrapped(tr("newregion.file_inherits", lang, parent=parent))),
        "",
        "[region]",
        f"name = {{ zh = {toml_string(place.name)}, en = {toml_string(english)} }}",
        f"parent = {toml_string(parent)}",
        f"level = {toml_string(place.level)}",
        f"code = {toml_string(place.code)}",
        "aliases = [" + ", ".join(toml_string(a) for a in aliases) + "]",
        "",
        *("# " + line for line in _wrapped(tr("newregion.file_year", lang, parent=parent))),
        *("# " + line for line in _wrapped(tr("newregion.file_cite", lang))),
        *_year_skeleton(schedule, lang),
    ]
    return "\n".join(lines) + "\n"


def _wrapped(text: str, width: int = 96) -> list[str]:
    """A comment cut into lines of at most ``width`` columns (a Chinese character takes two),
    at spaces, or between any two characters of Chinese text."""
    out: list[str] = []
    line, used = "", 0
    for piece in re.findall(r"[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+\s*|\s+", text):
        size = sum(2 if "\u3000" <= ch <= "\uffef" else 1 for ch in piece.rstrip())
        if used + size > width and line.strip() and piece not in _NO_BREAK_BEFORE:
            out.append(line.rstrip())
            line, used = "", 0
            piece = piece.lstrip()
        line += piece
        used += sum(2 if "\u3000" <= ch <= "\uffef" else 1 for ch in piece)
    if line.strip():
        out.append(line.rstrip())
    return out


def _year_skeleton(schedule: Schedule | None, lang: str) -> list[str]:
    year = schedule.coverage_year if schedule is not None else 2026
    policy = schedule.policy_year if schedule is not None and schedule.policy_year else year - 1

    def row(code: str, comment_key: str) -> str:
        return f"# {code:<54}# {tr(comment_key, lang)}"

    lines = [
        "# [[year]]",
        row(f"coverage = {year}", "newregion.key_coverage"),
        row(f"policy = {policy}", "newregion.key_policy"),
        '# source = { title = "", url = "https://", confidence = "high" }',
    ]
    if schedule is not None and schedule.subsidy is not None:
        lines.append(row(f"subsidy = {exact_text(schedule.subsidy)}", "newregion.key_subsidy"))
    window = schedule.collection if schedule is not None else None
    if window is not None and window.start is not None and window.end is not None:
        span = f"collection = {{ start = {window.start.isoformat()}, end = {window.end.isoformat()} }}"
        lines.append(row(span, "newregion.key_collection"))
    for category in schedule.categories if schedule is not None else ():
        lines += [
            "#",
            "#   [[year.category]]",
            row(f"  id = {toml_string(category.id)}", "newregion.key_category"),
        ]
        if category.individual is not None and category.formula is None:
            lines.append(row(f"  individual = {exact_text(category.individual)}", "newregion.key_individual"))
        elif category.tier_amounts:
            tiers = ", ".join(f"{k} = {exact_text(v)}" for k, v in category.tier_amounts.items())
            lines.append(row(f"  tiers = {{ {tiers} }}", "newregion.key_individual"))
        else:
            lines.append(row("  individual = 0", "newregion.key_individual"))
    return lines


def _create(path: Path, text: str) -> None:
    """Write a new file atomically, never over an existing one: a temporary file in the same
    directory, flushed and fsynced, then linked to its name (which fails if the name exists)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EditError(Note("edit.cannot_write", path=path, reason=exc.strerror or exc)) from None
    if not os.access(path.parent, os.W_OK):
        raise EditError(Note("newregion.not_writable", directory=path.parent))
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise EditError(Note("edit.changed_meanwhile", path=path)) from None
        except OSError:  # no hard links here (some file systems): check, then rename
            if path.exists():
                raise EditError(Note("edit.changed_meanwhile", path=path)) from None
            os.replace(tmp, path)
    except OSError as exc:
        raise EditError(Note("edit.cannot_write", path=path, reason=exc.strerror or exc)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    sync_directory(path.parent)
