"""Build search/data/da_compound_lexicon.txt.gz from Hunspell's da_DK.dic.

The compound splitter (search/compounds.py) needs to know which Danish words
may begin a compound, with which linking morpheme, and which may end one.
The Danish Hunspell dictionary of Stavekontrolden.dk, as Debian's
`hunspell-da` package installs it, records exactly that in its affix flags
(see the flag table below, from da_DK.aff). This script reduces the
dictionary to one line per usable word:

    <word> <codes>

where the codes say how the word may appear in a compound:

    E  as the last part (inflected forms are found by the splitter)
    B  as a first or middle part, unchanged          (klynge+styregruppe)
    S  as a first or middle part, with linking "s"   (sundhed+s+aftale)
    L  as a first or middle part, with linking "e"   (hund+e+luft)
    D  as a first or middle part, final "e" dropped  (skol+gård)
    X  as a first or middle part, final "e" -> "s"   (samarbejd+s+forum)

Dropped: words shorter than 4 letters (see docs/search-compounds.md),
entries with digits, hyphens, apostrophes, dots or spaces, proper nouns
(capitalised or flagged as proprium) and forbidden words.

The output is a derived work of the dictionary and keeps its licence
(LGPL-2.1 or GPL-2.0 or MPL-1.1); the header of the output says so.

Usage:
    python scripts/build_compound_lexicon.py [--dic PATH] [--output PATH]
    python scripts/build_compound_lexicon.py --check   # fail if out of date
"""

import argparse
import gzip
import sys
from pathlib import Path

DEFAULT_DIC = Path("/usr/share/hunspell/da_DK.dic")
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "search" / "data" / "da_compound_lexicon.txt.gz"

MIN_LENGTH = 4

# Flags of da_DK.aff (Stavekontrolden 2.7; `FLAG num`).
FORBIDDEN = "6"
PROPRIUM = "9"
COMPOUND_END = {"34", "39"}  # COMPOUNDEND, and SFX 39 "ORD_SIDST"
LINKING = {
    "31": "B",  # SFX 31 0 0/32,33 : the word itself may begin a compound
    "29": "S",  # SFX 29 0 s/32,33
    "30": "L",  # SFX 30 0 e/32,33
    "55": "D",  # SFX 55 e 0/32,33
    "56": "X",  # SFX 56 e s/32,33
}
CODE_ORDER = "EBSLDX"

HEADER = """\
# Danish compound lexicon for search/compounds.py: <word> <codes>.
# Derived by scripts/build_compound_lexicon.py from da_DK.dic of Debian's
# hunspell-da {version}, the Danish dictionary of Stavekontrolden.dk.
# Copyright (C) 2007-2022 Foreningen for frit tilgaengelige sprogvaerktoejer
# (Stavekontrolden.dk) <info@stavekontrolden.dk>.
# Licence: LGPL-2.1 or GPL-2.0 or MPL-1.1, like the dictionary it comes from
# (see docs/search-compounds.md). Regenerate, do not edit by hand.
"""


def parse_dic(lines):
    """Yield (word, codes) for each usable dictionary entry."""
    for number, raw in enumerate(lines):
        line = raw.rstrip("\n")
        if number == 0 and line.strip().isdigit():
            continue  # the entry count
        word, _, rest = line.partition("/")
        # Morphological fields follow the flags after white space.
        flags = set(rest.split()[0].split(",")) if rest.strip() else set()
        if len(word) < MIN_LENGTH or not word.isalpha() or not word.islower():
            continue
        if FORBIDDEN in flags or PROPRIUM in flags:
            continue
        codes = set()
        if flags & COMPOUND_END:
            codes.add("E")
        for flag, code in LINKING.items():
            if flag in flags:
                if code in "DX" and not (word.endswith("e") and len(word) > 4):
                    continue
                codes.add(code)
        if codes:
            yield word, codes


def build(dic_path, version):
    lexicon = {}
    with open(dic_path, encoding="utf-8") as dic:
        for word, codes in parse_dic(dic):
            lexicon.setdefault(word, set()).update(codes)
    body = "".join(
        f"{word} {''.join(c for c in CODE_ORDER if c in codes)}\n"
        for word, codes in sorted(lexicon.items())
    )
    return HEADER.format(version=version) + body, len(lexicon)


def dictionary_version(dic_path):
    # Debian records the package version; fall back to "unknown" elsewhere.
    status = Path("/var/lib/dpkg/status")
    if dic_path == DEFAULT_DIC and status.exists():
        for block in status.read_text(encoding="utf-8").split("\n\n"):
            if "Package: hunspell-da\n" in block:
                for line in block.splitlines():
                    if line.startswith("Version: "):
                        return line.removeprefix("Version: ")
    return "(unknown version)"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dic", type=Path, default=DEFAULT_DIC)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit with status 1 if the output is not what the dictionary gives",
    )
    args = parser.parse_args(argv)
    if not args.dic.exists():
        parser.error(
            f"{args.dic} not found: install Debian's hunspell-da "
            "(apt-get install hunspell-da) or pass --dic"
        )
    text, count = build(args.dic, dictionary_version(args.dic))
    if args.check:
        current = gzip.decompress(args.output.read_bytes()).decode("utf-8")
        if current != text:
            sys.stderr.write(f"{args.output} is out of date; rebuild it\n")
            return 1
        sys.stdout.write(f"{args.output} is up to date ({count} words)\n")
        return 0
    # mtime=0 keeps the file byte-identical between builds.
    args.output.write_bytes(gzip.compress(text.encode("utf-8"), 9, mtime=0))
    sys.stdout.write(
        f"{args.output}: {count} words, {args.output.stat().st_size} bytes\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
