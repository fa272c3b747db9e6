"""Serve a built page on localhost with Python's http.server (for ``premium-calc web serve``,
the browser tests and the benchmark). Module scripts and WebAssembly get their proper types."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}  # noqa: RUF012 - http.server's

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the command prints the address once

    def end_headers(self) -> None:
        # Revalidate the page itself; the bundled files carry versions in their names.
        if self.path.split("?")[0].endswith((".html", "/", "manifest.json", ".js")):
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def make_server(outdir: Path, port: int = 0, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server for ``outdir`` on ``host:port`` (``0``: a free port), not yet serving."""
    handler = functools.partial(_Handler, directory=str(outdir))
    return ThreadingHTTPServer((host, port), handler)


def address(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/"


def serve_in_thread(outdir: Path, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start serving ``outdir`` in a daemon thread; returns the server (``shutdown()`` stops it)
    and its address."""
    server = make_server(outdir, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, address(server)
