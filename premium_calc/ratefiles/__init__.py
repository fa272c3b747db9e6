"""1. Rate and statistics files as they are on disk: the format (pydantic models), reading TOML
with exact decimals, key paths and the lines that set them, pydantic errors as one line, and the
editor JSON Schema. Nothing here resolves inheritance or knows about households.
"""
