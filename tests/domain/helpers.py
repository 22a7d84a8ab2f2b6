"""Paths to the parser test corpus and a way to read its files as the app does."""

from __future__ import annotations

from pathlib import Path

from samverkan.domain.frontmatter import read_text
from samverkan.domain.model import Problem

DATA = Path(__file__).resolve().parent.parent / "data"
GOOD = DATA / "good"
BAD = DATA / "bad"


def text_of(path: Path) -> str:
    text, problems = read_text(path)
    assert text is not None, problems
    return text


def at(problems: list[Problem]) -> list[int]:
    """The lines of the problems, the first thing a user looks at."""
    return [problem.line for problem in problems]
