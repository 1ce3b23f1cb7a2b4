"""Synthetic search-query log for the keyword classifier (technical report's layout).

One record per query: timestamp, client identifier, raw query text. Queries mix benign
searches with the word combinations each rule of the filter looks for, and the traps
the report's code handles explicitly: substrings that cut words ("trans", "yoga",
"boys"), "you", "r ygold", "journal du hard", ages with every suffix, digits above and
below 16, mixed case, accents and punctuation. Clients issue sessions of queries a few
minutes apart, so most queries have neighbours within two hours.

The words below are drawn from the filter's lists independently of the project's seeds,
so tests that classify these queries check the seeds too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np

BENIGN = (
    "madonna",
    "shakira",
    "divx",
    "mp3",
    "fr",
    "vostfr",
    "film",
    "dvdrip",
    "live",
    "concert",
    "album",
    "2008",
    "2009",
    "windows",
    "office",
    "crack",
    "keygen",
    "linux",
    "ubuntu",
    "harry",
    "potter",
    "simpsons",
    "episode",
    "saison",
    "trans",
    "transformers",
    "yoga",
    "boys",
    "backstreet",
    "you",
    "youtube",
    "beyonce",
    "you tube",
    "journal",
    "hard",
    "rock",
    "metal",
    "jazz",
    "dessin",
    "anime",
    "cours",
    "anglais",
    "recette",
    "cuisine",
    "pdf",
    "little",
    "big",
    "girl",
    "power",
    "spice",
    "son",
    "dad",
    "daddy",
    "yankee",
    "sister",
    "act",
    "brother",
    "bear",
    "baby",
    "one",
    "more",
    "time",
    "petite",
    "annonce",
    "maison",
)
EXPLICIT = ("pthc", "pedo", "childlover", "hussyfan", "kidzilla", "raygold", "ptsc", "qqaazz")
CHILD = ("child", "kid", "kids", "enfant", "mineur", "preteen", "underage", "gamine", "nino")
SEX = ("sex", "porn", "porno", "nude", "naked", "fuck", "xxx", "hardcore", "anal", "sexe")
FAMILY_CHILD = ("baby", "boy", "daughter", "fille", "girl", "son", "toddler", "bebe")
FAMILY_PARENTS = ("dad", "daddy", "father", "mom", "mommy", "mum")
AGE_SUFFIXES = (
    "yo",
    "yr",
    "ans",
    "anni",
    "anos",
    "aos",
    "ano",
    "ao",
    "jahr",
    "jahre",
    "jahres",
    "y",
    "year old",
    "yearold",
    "years old",
    "yearsold",
)
DECORATIONS = ("", "", "", "!", ".avi", ".mpg", "(", ")", "-", "_", "é", "É", "à", "ç", "ñ")


TRAPS = {  # trap query -> paedophile in truth
    "r ygold": True,
    "journal du hard": False,
    "you 12": False,
    "12 you": False,
    "trans 8 yo": False,
    "yoga 3 ans": False,
    "boys 10": False,
    "journal du hard pthc": True,
    "r ygold 2": True,
}


def _age_phrase(rng: np.random.Generator) -> tuple[str, int]:
    age = int(rng.integers(5, 40))
    suffix = str(rng.choice(AGE_SUFFIXES))
    glue = "" if rng.random() < 0.5 else " "
    return f"{age}{glue}{suffix}", age


def _one(rng: np.random.Generator, kind: int) -> tuple[list[str], bool]:
    """Words of one query of the given kind, and whether it is paedophile in truth."""
    pick = lambda words, k=1: [str(w) for w in rng.choice(words, size=k)]  # noqa: E731
    if kind == 0:
        return pick(BENIGN, int(rng.integers(1, 5))), False
    if kind == 1:
        return pick(EXPLICIT) + pick(BENIGN, int(rng.integers(0, 3))), True
    if kind == 2:
        return pick(CHILD) + pick(SEX) + pick(BENIGN, int(rng.integers(0, 2))), True
    if kind == 3:
        words = pick(("little", "petite")) + pick(("girl", "boy", "fille", "brother", "sister"))
        return words + pick(SEX), True
    if kind == 4:
        other = pick(CHILD + FAMILY_CHILD) if rng.random() < 0.5 else pick(SEX + ("sexy", "sexi"))
        phrase, age = _age_phrase(rng)
        return [phrase, *other], age < 16
    if kind == 5:
        return pick(FAMILY_CHILD) + pick(FAMILY_PARENTS) + pick(SEX), True
    if kind == 6:  # traps around the substring rules
        trap = str(rng.choice(list(TRAPS)))
        return [trap], TRAPS[trap]
    # near misses: half of a composed rule only (a child word alone is sometimes meant so)
    words = pick(SEX + CHILD + FAMILY_CHILD, 1) + pick(BENIGN, int(rng.integers(0, 3)))
    return words, words[0] in CHILD and rng.random() < 0.3


def generate_queries(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` raw queries; about 60 % benign, the rest spread over the rules and traps."""
    return [text for text, _ in generate_labelled_queries(rng, n)]


def generate_labelled_queries(rng: np.random.Generator, n: int) -> list[tuple[str, bool]]:
    """``n`` raw queries with their planted truth (paedophile or not)."""
    kinds = rng.choice(8, size=n, p=[0.6, 0.06, 0.06, 0.04, 0.08, 0.04, 0.06, 0.06])
    out = []
    for kind in kinds.tolist():
        words, truth = _one(rng, kind)
        if kind != 6 and rng.random() < 0.3:
            rng.shuffle(words)
        text = " ".join(words)
        if rng.random() < 0.3:
            text = text.upper() if rng.random() < 0.3 else text.title()
        if rng.random() < 0.3:
            text = text.replace(" ", str(rng.choice(("  ", "_", ".", "-", " + "))))
        text = text + str(rng.choice(DECORATIONS))
        if rng.random() < 0.003:  # nothing left after normalisation
            text, truth = str(rng.choice(("???", "é", " - ", "!!"))), False
        out.append((text, truth))
    return out


def write_query_log(path: Path, seed: int, n: int) -> list[tuple[str, bool]]:
    """CSV with header ``timestamp,client_id,query``: sessions of a few queries per client.
    Returns the queries with their planted truth."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 77, 12])))
    path.parent.mkdir(parents=True, exist_ok=True)
    labelled = generate_labelled_queries(rng, n)
    texts = [text for text, _ in labelled]
    n_clients = max(1, n // 12)
    clients = [
        f"10.{int(a)}.{int(b)}.{int(c)}" for a, b, c in rng.integers(0, 256, size=(n_clients, 3))
    ]
    start = dt.datetime(2009, 3, 1)
    owner = np.sort(rng.integers(0, n_clients, size=n))
    times: list[dt.datetime] = []
    cursor: dict[int, dt.datetime] = {}
    for o in owner.tolist():
        if o not in cursor:
            cursor[o] = start + dt.timedelta(seconds=int(rng.integers(0, 9 * 86400)))
        else:  # next query minutes later, sometimes after a long break
            gap = rng.exponential(400.0) if rng.random() < 0.85 else rng.uniform(7200, 86400)
            cursor[o] += dt.timedelta(seconds=int(gap) + 1)
        times.append(cursor[o])
    order = sorted(range(n), key=lambda i: (times[i], owner[i], i))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["timestamp", "client_id", "query"])
    for i in order:
        writer.writerow([times[i].strftime("%Y-%m-%d %H:%M:%S"), clients[owner[i]], texts[i]])
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return labelled


def expert_answers() -> tuple[str, ...]:
    """The answers, in the order of the dbt project's seed expert_answers (the one list
    of them), read from the project folder (env DBT_PROJECT_DIR or the working
    directory: the package itself never reaches into the repository)."""
    from analysis_py.engines.dbt_runner import project_dir

    with (project_dir() / "seeds" / "expert_answers.csv").open(newline="") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: int(r["position"]))
    return tuple(row["answer"] for row in rows)


# answer probabilities when the query is / is not paedophile in truth
_P_YES = (0.78, 0.12, 0.04, 0.03, 0.03)
_P_NO = (0.02, 0.03, 0.07, 0.18, 0.70)


def write_expert_votes(path: Path, seed: int, labelled: list[tuple[str, bool]]) -> None:
    """Synthetic expert assessment (report section 5): 24 experts answer distinct
    normalised queries; 20 answer at least 300, 4 fewer (to be filtered out). Columns
    query, expert, answer (the seed expert_answers: paedophile ... not)."""
    from analysis_py.stats.keywords import normalise

    answers = expert_answers()
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 77, 13])))
    truth: dict[str, bool] = {}
    for text, is_paedophile in labelled:
        query = normalise(text)
        if query:
            truth[query] = truth.get(query, False) or is_paedophile
    queries = sorted(truth)
    rows = []
    for expert in range(1, 25):
        share = rng.uniform(0.25, 0.5) if expert <= 20 else rng.uniform(0.005, 0.01)
        answered = [q for q in queries if rng.random() < share]
        if expert <= 20 and len(answered) < 300:
            answered = queries[:300]
        for q in answered:
            probs = _P_YES if truth[q] else _P_NO
            rows.append((q, f"expert_{expert:02d}", answers[int(rng.choice(5, p=probs))]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["query", "expert", "answer"])
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
