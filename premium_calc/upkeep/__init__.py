"""4'. Keeping rate files: validation rules, safe edits (``rates set`` / ``rates new-year``: parse
the key, edit one ``[[year]]`` block, check only what the edit introduces, write atomically) and
the golden snapshot of the resolved book. It sits above the rate book because its rules read
resolved schedules; the file format itself lives in ``ratefiles``.
"""
