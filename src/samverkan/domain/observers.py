"""One observer, one identity: names that differ only in case are the same person.

Tagging already treats "Anna" and "anna" as one observer (a tag's id is derived
from the folded name), so every count, list and agreement figure compares names
the same way, and shows the spelling that was written first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def observer_key(name: str) -> str:
    """What two spellings of one observer's name have in common."""
    return name.strip().casefold()


def first_spellings(first_written: Mapping[str, str]) -> dict[str, str]:
    """Each spelling -> the spelling of its observer that was written first.

    ``first_written`` maps each spelling to the time it was first written (any
    text that sorts in time order, such as stored ISO times); ties go to the
    spelling that sorts first, so the choice is the same every time.
    """
    best: dict[str, tuple[str, str]] = {}
    for name, at in first_written.items():
        key = observer_key(name)
        if key not in best or (at, name) < best[key]:
            best[key] = (at, name)
    return {name: best[observer_key(name)][1] for name in first_written}


def distinct(names: Iterable[str]) -> tuple[str, ...]:
    """Names with one spelling per observer (the first one met), sorted without case."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(observer_key(name), name)
    return tuple(sorted(seen.values(), key=lambda n: (n.casefold(), n)))


def has_variants(names: Iterable[str]) -> bool:
    """Whether some observer appears under two spellings."""
    spelled = set(names)
    return len({observer_key(n) for n in spelled}) < len(spelled)
