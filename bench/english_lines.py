"""How Chinese is the Chinese output? The share of output lines with an English word.

Runs a fixed set of commands with ``--lang zh`` (calc for several regions and households,
history, compare, regions, rates show/explain/diff/validate/coverage, errors, ``--help``) and
counts the lines that still contain an English word once URLs, region ids, option names, file
names, key paths, identifiers a user types (rural, q1, tekun ...), units and codes are taken
out. Prints each command's share and the total; ``--show`` prints the offending lines.

    python3 bench/english_lines.py [--show]
"""

from __future__ import annotations

import argparse
import os
import re
import sys

# The help texts are built in the language chosen when the CLI is imported.
os.environ["PREMIUM_CALC_LANG"] = "zh"

from typer.testing import CliRunner

from premium_calc.cli import app

COMMANDS: list[list[str]] = [
    ["calc", "--region", "毕节", "--year", "2025", "--member", "45", "--member", "42:female",
     "--member", "12:student", "--member", "70", "--income", "14000"],
    ["calc", "--region", "毕节", "--year", "2025", "--member", "45"],
    ["calc", "--region", "cn/hunan", "--year", "2026", "--member", "60:dibao", "--member", "35"],
    ["calc", "--region", "cn/beijing", "--year", "2025", "--member", "62:male", "--member", "10:student",
     "--income", "90000"],
    ["calc", "--region", "深圳", "--year", "2025", "--member", "40", "--member", "70"],
    ["calc", "--region", "cn/sichuan/guangyuan", "--year", "2024", "--member", "50:tekun", "--member", "48"],
    ["calc", "--region", "乌鲁木齐", "--year", "2025", "--member", "30"],
    ["history", "--region", "cn", "--from", "2004", "--to", "2026"],
    ["history", "--preset", "rural-family-q1"],
    ["history", "--region", "湖南", "--from", "2016", "--to", "2026", "--no-chart"],
    ["compare", "--year", "2025", "--all"],
    ["regions"],
    ["rates", "show", "cn/hunan", "--year", "2026"],
    ["rates", "explain", "毕节", "2025"],
    ["rates", "diff", "cn/hunan", "2025", "2026"],
    ["rates", "validate"],
    ["rates", "coverage"],
    ["calc", "--region", "Atlantis", "--year", "2025", "--member", "40"],
    ["calc", "--region", "cn/beijing", "--year", "2019", "--member", "40"],
    ["calc", "--region", "cn/beijing", "--year", "2025", "--member", "55"],
    ["calc", "--region", "cn/hunan", "--year", "2026", "--member", "abc"],
    ["calc", "--help"],
    ["history", "--help"],
    ["rates", "set", "--help"],
]

#: What is not prose: addresses, ids, options, paths, key paths, typed identifiers, units.
NOT_PROSE = [
    r"<?https?://\S+>?",
    r"\bpremium-calc(\[plot\])?( [a-z-]+)*",  # the program and its commands
    r"'[^']*'",  # what the user typed, quoted back in an error
    r"\b\w+\[\d+\]",  # key paths such as members[0]
    r"\b(zh|en|flag|elderly|farmer|big5|kingdee|ETNet|hdg|feifmx|sundir|GitHub|199it|om)\b",
    r"[\w./-]+\.(toml|json|csv|png|svg|md|py)\b(:\d+)*",
    r"\b[\w-]+\.(com|cn|org|net|gov)(\.cn)?\b",
    r"^\s*[a-z_][a-z0-9_.]* =",  # the key of a rates explain line (a rates set key)
    r"\bcn(/[a-z0-9_]+)*\b",
    r"--?[a-z][a-z0-9-]*",
    r"\bpremium-calc( [a-z-]+)*",
    r"<[a-z\[\]]+>",  # metavars
    r"\b(Bijie|Hunan|Beijing)\b",  # English names a user may type (examples in --help)
    r"\b(jiusongjiankang|shebao100|bendibao|maigoo|caihuajun|youdao|scirp|jrzg|content_\d+)\b",  # site names
    r"\{ ?zh = .*en = .*\}",  # the bilingual form of rate-file prose, in rates set --help
    r"\b[a-z_]+(\[\d+\])?(\.[A-Za-z0-9_]+(\[\d+\])?)+\b",
    r"\b(subsidy|note|subsidy_source|source|pays|pays_share|assistance|individual|tiers|includes)"
    r"\b(?= \||。|、|，|$)",
    r"^\s*[a-z_]+ <\w+>",  # an argument and its metavar in --help
    r"^\s*[a-z_][a-z0-9_.]*(?=\s{2,})",  # the key column of rates show / diff
    r"\{[a-z_]+\}",  # arguments in a usage line
    r"\b[A-Z_]+=[\w:]+",  # an environment variable example
    r"\brates (set|new-year|show|explain|diff|validate|coverage|schema)\b",
    r"\b(diff|list|Path)\b",
    r"\b(rural|urban|all|q[1-5]|high|medium|low|tekun|dibao|dibao_edge|orphan|monitored|"
    r"returned_poverty|poverty_exit|low_income|youfu|family_planning|border|male|female|student|"
    r"college|employee|disabled[1-4]|resident|residents|ltc|tier\d*|id|ID|TIER|NAME|KEY|AGE|"
    r"YYYY-MM-DD|YYYY|MM|DD|N|Y|x|CAGR|NBS|NCMS|pp|TOML|JSON|CSV|PNG|SVG|URL|ok)\b",
    r"\b[A-Z][A-Z0-9_]{1,}\b",
]
WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(line: str) -> list[str]:
    text = line
    for pattern in NOT_PROSE:
        text = re.sub(pattern, " ", text)
    return WORD.findall(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print the lines with English words")
    args = parser.parse_args(argv)
    runner = CliRunner()
    total = flagged = 0
    for command in COMMANDS:
        lang = [] if "--help" in command else ["--lang", "zh"]
        result = runner.invoke(app, [*command, *lang], env={"COLUMNS": "120", "PREMIUM_CALC_LANG": "zh"})
        lines = [ln for ln in (result.stdout + result.stderr).splitlines() if ln.strip()]
        bad = [ln for ln in lines if english_words(ln)]
        total += len(lines)
        flagged += len(bad)
        share = len(bad) / len(lines) if lines else 0.0
        print(f"{share:7.1%}  {len(bad):4d}/{len(lines):<4d}  premium-calc {' '.join(command)}")
        if args.show:
            for ln in bad:
                print(f"           {ln.strip()[:150]}   <- {', '.join(english_words(ln)[:6])}")
    print(f"{flagged / total:7.1%}  {flagged:4d}/{total:<4d}  all lines with an English word (zh output)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
