"""Norwegian organisation numbers (organisasjonsnummer): nine digits, mod-11 check digit."""

from __future__ import annotations

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def normalise(value: str) -> str:
    """Digits only: '974 760 673' and '974760673' are the same number."""
    return "".join(ch for ch in str(value) if not ch.isspace())


def is_valid(value: str) -> bool:
    """True when `value` is nine digits whose last digit is the mod-11 check digit."""
    number = normalise(value)
    if len(number) != 9 or not number.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:8], WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(number[8])
