"""Plausible Norwegian municipalities: names, slugs, municipality and organisation numbers.

The names are generated from common place-name parts (they are not a list of the real 356),
the organisation numbers carry a valid mod-11 check digit (`core.orgnumber`), and each
municipality gets a size weight so that a few large ones hold many procurements and many
small ones hold few, as in the real country.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from core.orgnumber import WEIGHTS, is_valid

PREFIXES = ("Nord-", "Sør-", "Øvre ", "Nedre ", "Vestre ", "Østre ", "Indre ", "Ytre ")
STEMS = (
    "Sand", "Stein", "Berg", "Lyng", "Ås", "Eik", "Bjørk", "Fjell", "Hav", "Elve", "Grøn", "Lang",
    "Stor", "Lille", "Kvit", "Rød", "Vik", "Nes", "Hol", "Dal", "Strand", "Gran", "Furu", "Mel",
    "Ros", "Tor", "Sol", "Vind", "Mo", "Sel", "Fros", "Bjerk", "Skog", "Aur", "Gjer", "Mar",
    "Os", "Val", "Ler", "Hjelme", "Fosse", "Brekke", "Haga", "Lund",
)
SUFFIXES = (
    "vik", "nes", "dal", "berg", "øy", "fjord", "heim", "land", "stad", "sund", "vang", "haug",
    "bygd", "voll", "ås", "eid", "mo", "stein", "li", "sjø", "dalen", "strand", "holm", "øyane",
)
# County numbers since 2024; a municipality number is the county's two digits and two more.
COUNTIES = ("03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56")
COUNT = 356
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", " ": "-"})


@dataclass(frozen=True)
class Municipality:
    slug: str
    name: str
    municipality_number: str
    org_number: str
    weight: float  # relative size: its share of procurements, people and dialogue


def slugify(name: str) -> str:
    """'Nedre Sandvik' -> 'nedre-sandvik'; Norwegian letters spelt in ASCII."""
    return name.lower().translate(_ASCII)


def org_number(rng: random.Random, taken: set[str]) -> str:
    """A fresh nine-digit organisation number starting with 9, with a valid check digit."""
    while True:
        body = "9" + "".join(str(rng.randrange(10)) for _ in range(7))
        check = 11 - sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11
        if check == 10:
            continue
        number = body + str(0 if check == 11 else check)
        if number not in taken and is_valid(number):
            taken.add(number)
            return number


def _names(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        base = rng.choice(STEMS) + rng.choice(SUFFIXES)
        if rng.random() < 0.2:
            base = rng.choice(PREFIXES) + base
        names.add(base)
    return sorted(names)


def municipalities(rng: random.Random, count: int = COUNT,
                   taken_org_numbers: set[str] | None = None) -> list[Municipality]:
    """`count` municipalities, largest first (weight falls like a Zipf curve)."""
    names = _names(rng, count)
    rng.shuffle(names)
    taken = set(taken_org_numbers or ())
    used_numbers: set[str] = set()
    result = []
    for rank, name in enumerate(names):
        county = COUNTIES[rank % len(COUNTIES)]
        number = next(f"{county}{n:02d}" for n in range(1, 100) if f"{county}{n:02d}" not in used_numbers)
        used_numbers.add(number)
        result.append(Municipality(
            slug=slugify(name), name=f"{name} kommune", municipality_number=number,
            org_number=org_number(rng, taken), weight=1.0 / (rank + 3),
        ))
    return result


def weighted_counts(weights: list[float], total: int) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), summing exactly."""
    whole = sum(weights)
    if not weights or whole <= 0:
        return [0] * len(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts
