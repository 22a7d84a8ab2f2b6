"""The meeting's tally: which codes were seen, how often, for whom, and on which remarks.

This is what the observer feeds back to the group in the observation phase,
what the facilitator's screen shows then, and what the minutes summarise. A
remark counts once per code however many observers tagged it; who tagged it
is kept beside.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from samverkan.domain.model import CodeView, NoteView, Polarity

POLARITY_ORDER = (Polarity.SUCCESS, Polarity.OBSTACLE, Polarity.AMBIVALENT)


@dataclass(frozen=True)
class CodeTally:
    code: CodeView
    notes: tuple[NoteView, ...]
    # (organisation id or None for the whole group, remarks) — most first
    by_organisation: tuple[tuple[str | None, int], ...]
    observers: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.notes)


@dataclass(frozen=True)
class PolarityTally:
    polarity: Polarity
    codes: tuple[CodeTally, ...]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.codes)


@dataclass(frozen=True)
class DimensionTally:
    dimension: str
    polarities: tuple[PolarityTally, ...]

    @property
    def total(self) -> int:
        return sum(p.total for p in self.polarities)


def tally(
    notes: Iterable[NoteView],
    codes: Sequence[CodeView],
    *,
    observer: str | None = None,
) -> tuple[DimensionTally, ...]:
    """Codes seen on ``notes`` (only ``observer``'s tags if given), in codebook order.

    Dimensions keep the codebook's order; within a polarity the most frequent
    code comes first, ties in codebook order.
    """
    by_code: dict[str, list[NoteView]] = {}
    observers: dict[str, set[str]] = {}
    for note in notes:
        seen_here: set[str] = set()
        for tag in note.tags:
            if observer is not None and tag.observer != observer:
                continue
            observers.setdefault(tag.code_id, set()).add(tag.observer)
            if tag.code_id not in seen_here:
                seen_here.add(tag.code_id)
                by_code.setdefault(tag.code_id, []).append(note)
    dimensions: dict[str, dict[Polarity, list[CodeTally]]] = {}
    for code in sorted(codes, key=lambda c: c.position):
        dimensions.setdefault(code.dimension, {})
        tagged = by_code.get(code.id)
        if not tagged:
            continue
        per_org = Counter(n.organisation_id for n in tagged)
        dimensions[code.dimension].setdefault(code.polarity, []).append(
            CodeTally(
                code=code,
                notes=tuple(tagged),
                by_organisation=tuple(
                    sorted(per_org.items(), key=lambda item: (-item[1], item[0] or ""))
                ),
                observers=tuple(sorted(observers.get(code.id, ()))),
            )
        )
    result: list[DimensionTally] = []
    for dimension, polarities in dimensions.items():
        parts = tuple(
            PolarityTally(
                polarity,
                tuple(sorted(polarities[polarity], key=lambda c: (-c.count, c.code.position))),
            )
            for polarity in POLARITY_ORDER
            if polarities.get(polarity)
        )
        if parts:
            result.append(DimensionTally(dimension, parts))
    return tuple(result)
