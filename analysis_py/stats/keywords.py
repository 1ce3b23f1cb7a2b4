"""The paedophile-query filter of Latapy, Magnien & Fournier (technical report,
"Automatic Detection of Paedophile Queries", appendix A), and its vectorised twin.

- :func:`normalise` - a raw query as the report's dataset holds it (docs/method.md 11):
  ASCII letters lower-cased and digits kept, non-ASCII letters (and combining marks)
  deleted ("pénétration" -> "pntration"), any other character a word separator,
  words joined by one space.
- :func:`classify` - the reference implementation of appendix A on a normalised query:
  the rule code ``"00"`` .. ``"05"`` of the first rule that matches, or ``None``.
- :func:`appendix_script` - a faithful Python 3 port of the appendix script itself
  (lines in, "code query" lines out), the benchmark's baseline.
- :func:`sql_normalise`, :func:`sql_classify` - the same two steps as DuckDB SQL
  expressions (regular expressions compiled once per query plan), the bulk path; the
  tests check they agree with :func:`normalise` and :func:`classify` on every query.

Keyword lists come from the seed ``keyword_lists`` (list_name, position, keyword).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

LIST_NAMES = (
    "explicit",
    "child",
    "sex",
    "familychild",
    "familyparents",
    "agesuffix",
    "little",
    "girlboy",
    "sexy",
    "skip_substring",
    "code00_substring",
)
RULE_CODES = ("00", "01", "02", "03", "04", "05")
AGE_LIMIT = 16  # "an age below 16"
YOU = ("you", "XXX")  # the appendix hides "you" before looking for ages


@dataclass(frozen=True)
class KeywordLists:
    explicit: tuple[str, ...]
    child: tuple[str, ...]
    sex: tuple[str, ...]
    familychild: tuple[str, ...]
    familyparents: tuple[str, ...]
    agesuffix: tuple[str, ...]
    little: tuple[str, ...]
    girlboy: tuple[str, ...]
    sexy: tuple[str, ...]
    skip_substring: tuple[str, ...]
    code00_substring: tuple[str, ...]


def load_keyword_lists(source: Path | pd.DataFrame) -> KeywordLists:
    """The lists from the seed keyword_lists: its CSV file, or the built seed as a frame
    (list_name, position, keyword)."""
    if isinstance(source, pd.DataFrame):
        rows = source[["list_name", "position", "keyword"]].itertuples(index=False)
        records = [(str(a), int(b), str(c)) for a, b, c in rows]
    else:
        with open(source, newline="", encoding="utf-8") as fh:
            records = [
                (r["list_name"], int(r["position"]), r["keyword"]) for r in csv.DictReader(fh)
            ]
    lists: dict[str, list[tuple[int, str]]] = {name: [] for name in LIST_NAMES}
    for name, position, keyword in records:
        if name not in lists:
            raise ValueError(f"keyword_lists: unknown list {name!r}; expected one of {LIST_NAMES}")
        lists[name].append((position, keyword))
    empty = [name for name, words in lists.items() if not words]
    if empty:
        raise ValueError(f"keyword_lists: empty lists {empty}")
    return KeywordLists(**{k: tuple(w for _, w in sorted(v)) for k, v in lists.items()})


# ---------------------------------------------------------------- normalisation


def normalise(raw: str) -> str:
    """Normalised query (docs/method.md section 11); ``""`` when nothing is left."""
    out = []
    for ch in raw:
        if "a" <= ch <= "z" or "0" <= ch <= "9":
            out.append(ch)
        elif "A" <= ch <= "Z":
            out.append(ch.lower())
        elif unicodedata.category(ch)[0] in ("L", "M"):
            continue  # non-ASCII letters (and combining accents) are deleted
        else:
            out.append(" ")
    return " ".join("".join(out).split())


def sql_normalise(expr: str) -> str:
    """DuckDB SQL for :func:`normalise` (RE2 Unicode classes \\p{L}, \\p{M})."""
    separated = f"regexp_replace({expr}, '[^A-Za-z0-9\\p{{L}}\\p{{M}}]', ' ', 'g')"
    ascii_only = f"regexp_replace({separated}, '[^A-Za-z0-9 ]', '', 'g')"
    return f"trim(regexp_replace(lower({ascii_only}), ' +', ' ', 'g'))"


# ---------------------------------------------------------------- reference classifier


def _contains_word(words_list: Iterable[str], words: list[str]) -> bool:
    return any(x in words for x in words_list)


def _contains_substring(substrings: Iterable[str], line: str) -> bool:
    return any(line.find(x) != -1 for x in substrings)


def _contains_age_16(suffixes: Iterable[str], line: str) -> bool:
    """Appendix A's age test, verbatim: hide "you", split on each suffix as a
    substring, and look at the last whitespace token before every split point."""
    line = line.replace(*YOU)
    for suffix in suffixes:
        pieces = line.split(suffix)
        for piece in pieces[:-1]:
            age = piece.strip().split()
            if len(age) < 1:
                continue
            age = age[-1]
            if age.isdigit() and int(age) < AGE_LIMIT:
                return True
    return False


def classify(query: str, lists: KeywordLists) -> str | None:
    """Rule code of appendix A for a normalised query, first match wins; None when not
    flagged (or skipped for containing "journal du hard")."""
    k = lists
    if _contains_substring(k.skip_substring, query):
        return None
    line = query.strip()
    if _contains_substring(k.code00_substring, line):
        return "00"
    words = line.split()
    if _contains_word(k.explicit, words):
        return "01"
    if _contains_word(k.child, words) and _contains_word(k.sex, words):
        return "02"
    if (
        _contains_word(k.little, words)
        and _contains_word(k.girlboy, words)
        and _contains_word(k.sex, words)
    ):
        return "03"
    if _contains_age_16(k.agesuffix, line) and (
        _contains_word(k.child + k.familychild, words) or _contains_word(k.sex + k.sexy, words)
    ):
        return "04"
    if (
        _contains_word(k.familychild, words)
        and _contains_word(k.familyparents, words)
        and _contains_word(k.sex, words)
    ):
        return "05"
    return None


def appendix_script(lines: Iterable[str], lists: KeywordLists) -> Iterator[str]:
    """The appendix script ported to Python 3, structure and all: one normalised query
    per line in, ``"<code> <query>"`` out for the flagged ones (the baseline of
    bench/classify.py)."""
    k = lists
    explicit, child, sex = list(k.explicit), list(k.child), list(k.sex)
    familychild, familyparents, agesuffix = (
        list(k.familychild),
        list(k.familyparents),
        list(k.agesuffix),
    )
    for line in lines:
        if _contains_substring(["journal du hard"], line):
            continue
        line = line.strip()
        if _contains_substring(["r ygold"], line):
            yield f"00 {line}"
            continue
        words = line.split()
        if _contains_word(explicit, words):
            yield f"01 {line}"
            continue
        if _contains_word(child, words) and _contains_word(sex, words):
            yield f"02 {line}"
            continue
        if (
            _contains_word(["little", "petite"], words)
            and _contains_word(["girl", "boy", "fille", "brother", "sister"], words)
            and _contains_word(sex, words)
        ):
            yield f"03 {line}"
            continue
        if _contains_age_16(agesuffix, line) and (
            _contains_word(child + familychild, words)
            or _contains_word(sex + ["sexy", "sexi"], words)
        ):
            yield f"04 {line}"
            continue
        if (
            _contains_word(familychild, words)
            and _contains_word(familyparents, words)
            and _contains_word(sex, words)
        ):
            yield f"05 {line}"
            continue


# ---------------------------------------------------------------- vectorised (SQL) classifier


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _word_pattern(words: Iterable[str]) -> str:
    """RE2 pattern: one of the words as a whole space-delimited word."""
    alternatives = "|".join(re.escape(w) for w in words)
    return f"(?:^| )(?:{alternatives})(?: |$)"


def _age_pattern(suffixes: Iterable[str]) -> str:
    """RE2 pattern equivalent to appendix A's age test on a query where "you" is hidden.

    For a suffix S, the test holds when some piece between split points ends (after
    stripping spaces) with an all-digit token below 16. A piece starts at the start of
    the query or right after an occurrence of S, and a token starts after a space or at
    the piece start, so the pattern is ``(^| |S)0*([0-9]|1[0-5]) *S``. No suffix of the
    list overlaps itself (no proper prefix equal to a suffix of it), so every occurrence
    of S is a split point. Alternatives are per suffix: a piece is delimited by the
    same suffix on both ends.
    """
    limit = "(?:[0-9]|1[0-5])"
    if AGE_LIMIT != 16:
        raise NotImplementedError("the SQL age pattern is written for ages below 16")
    parts = []
    for s in suffixes:
        for k in range(1, len(s)):
            if s[:k] == s[-k:]:
                raise ValueError(
                    f"age suffix {s!r} overlaps itself; the SQL pattern needs it not to"
                )
        e = re.escape(s)
        parts.append(f"(?:^| |{e})0*{limit} *{e}")
    return "|".join(parts)


def sql_classify(expr: str, lists: KeywordLists) -> str:
    """DuckDB SQL CASE expression returning the rule code of a normalised query (or NULL),
    equal to :func:`classify` on every query (regular expressions in place of loops)."""
    k = lists

    def has(words: Iterable[str]) -> str:
        return f"regexp_matches({expr}, {_sql_literal(_word_pattern(words))})"

    def contains(substrings: Iterable[str]) -> str:
        return "(" + " or ".join(f"contains({expr}, {_sql_literal(s)})" for s in substrings) + ")"

    hidden = f"replace({expr}, {_sql_literal(YOU[0])}, {_sql_literal(YOU[1])})"
    age = f"regexp_matches({hidden}, {_sql_literal(_age_pattern(k.agesuffix))})"
    # every rule needs a word of some list (or the code-00 substring): one pattern for
    # all of them settles most queries at once
    any_word = k.explicit + k.child + k.sex + k.little + k.girlboy + k.familychild
    any_word += k.familyparents + k.sexy
    return f"""case
        when not ({has(any_word)} or {contains(k.code00_substring)}) then null
        when {contains(k.skip_substring)} then null
        when {contains(k.code00_substring)} then '00'
        when {has(k.explicit)} then '01'
        when {has(k.child)} and {has(k.sex)} then '02'
        when {has(k.little)} and {has(k.girlboy)} and {has(k.sex)} then '03'
        when ({has(k.child + k.familychild)} or {has(k.sex + k.sexy)}) and {age} then '04'
        when {has(k.familychild)} and {has(k.familyparents)} and {has(k.sex)} then '05'
    end"""
