"""The web page: the library running in the browser under Pyodide.

- :mod:`.api`: what the page calls (JSON text in, JSON text out), over the public API; it never
  imports numpy, rich or typer, so it runs in Pyodide with pydantic alone.
- :mod:`.site`: ``premium-calc web build OUTDIR``, a static folder with Pyodide, the wheels and
  the project (:mod:`.pins` pins what is fetched, :mod:`.fetch` fetches it once into the cache).
- :mod:`.serve`: a local static server for ``premium-calc web serve`` and the browser tests.
"""
