"""``premium-calc web build OUTDIR`` and ``premium-calc web serve``: the web page (issue 17)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..messages import tr
from ._common import DEFAULT_LANG, JsonOption, LangOption, app, echo_json, fail, short_help, user_errors
from .language import LANG

WEB_HELP = tr("cli.help.web", LANG)
BUILD_HELP = tr("cli.help.web.build", LANG)
SERVE_HELP = tr("cli.help.web.serve", LANG)

web_app = typer.Typer(
    name="web", help=WEB_HELP, short_help=short_help(WEB_HELP), no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(web_app, name="web")

PyodideDirOption = Annotated[
    Path | None,
    typer.Option(
        "--pyodide-dir", help=tr("cli.help.web.pyodide_dir", LANG), metavar="DIR", show_default=False
    ),
]
WheelDirOption = Annotated[
    Path | None,
    typer.Option("--wheel-dir", help=tr("cli.help.web.wheel_dir", LANG), metavar="DIR", show_default=False),
]


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _build(
    outdir: Path, pyodide_dir: Path | None, wheel_dir: Path | None, lang: str, json_out: bool, url: str = ""
) -> Path:
    """Build, then say so: one line, or (``--json``) the folder, its files, size and manifest."""
    from ..web.site import build_site

    site = build_site(outdir, pyodide_dir=pyodide_dir, wheel_dir=wheel_dir)
    if json_out:
        data = {"outdir": str(site.outdir), "files": site.files, "size": site.size, "manifest": site.manifest}
        echo_json({**data, "url": url} if url else data)
    else:
        typer.echo(tr("web.built", lang, outdir=site.outdir, files=site.files, size=_size(site.size)))
    return site.outdir


@web_app.command("build", help=BUILD_HELP, short_help=short_help(BUILD_HELP))
@user_errors
def build(
    outdir: Annotated[Path, typer.Argument(metavar="OUTDIR", help=tr("cli.help.web.outdir", LANG))],
    pyodide_dir: PyodideDirOption = None,
    wheel_dir: WheelDirOption = None,
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
) -> None:
    _build(outdir, pyodide_dir, wheel_dir, lang.value, json_out)


@web_app.command("serve", help=SERVE_HELP, short_help=short_help(SERVE_HELP))
@user_errors
def serve(
    outdir: Annotated[
        Path | None,
        typer.Option("--dir", help=tr("cli.help.web.dir", LANG), metavar="DIR", show_default=False),
    ] = None,
    port: Annotated[int, typer.Option("--port", help=tr("cli.help.web.port", LANG))] = 8017,
    pyodide_dir: PyodideDirOption = None,
    wheel_dir: WheelDirOption = None,
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
) -> None:
    from ..web.fetch import web_cache_dir
    from ..web.serve import address, make_server

    folder = (outdir or web_cache_dir() / "site").resolve()
    try:
        server = make_server(folder, port)  # the folder is only read per request: built next
    except OSError as exc:
        fail(tr("web.port_busy", lang.value, port=port, reason=exc.strerror or exc), lang=lang.value)
    url = address(server)
    _build(folder, pyodide_dir, wheel_dir, lang.value, json_out, url)
    if not json_out:
        typer.echo(tr("web.serving", lang.value, outdir=folder, url=url))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
