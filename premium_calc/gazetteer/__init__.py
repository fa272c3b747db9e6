"""Gazetteer of China: every province-, prefecture- and county-level division (行政区划) with its
6-digit code, official and short names, pinyin and English name; lookup by code or by name
(exact, several when ambiguous) and fuzzy suggestions for names that match nothing.

The list is the Ministry of Civil Affairs' 中华人民共和国县级以上行政区划代码 (see README.md
beside this file and the header of ``divisions.tsv``), read lazily on first use::

    from premium_calc.gazetteer import Gazetteer

    g = Gazetteer.load()
    g.lookup("威宁")        # [Place(code='520526', name='威宁彝族回族苗族自治县', ...)]
    g.suggest("Shenyan")    # [沈阳市, ...]

It sits beside :mod:`premium_calc.ratefiles`, below the rate book, and imports nothing else of
the package.
"""

from __future__ import annotations

from .gazetteer import Gazetteer
from .place import LEVELS, Level, Place

__all__ = ["LEVELS", "Gazetteer", "Level", "Place"]
