"""Schema-check rate files: python tools/check_rate_files.py rates/cn/hunan.toml ...

A stop-gap for data entry (`premium-calc rates validate` is the real tool). Prints one line
per file: OK, or the pydantic errors.
"""

import sys
import tomllib
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from premium_calc.schema import IncomeFile, RateFile  # noqa: E402

bad = 0
for arg in sys.argv[1:]:
    p = Path(arg)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"), parse_float=Decimal)
        model = IncomeFile if "stats" in p.parts else RateFile
        model.model_validate(data)
        print(f"OK   {p}")
    except Exception as e:  # noqa: BLE001
        bad += 1
        print(f"FAIL {p}: {e}")
sys.exit(1 if bad else 0)
