"""Keep a loaded meeting out of Python's full garbage collections while it is open.

A meeting of 20,000 notes is some 100,000 Python objects. Every full collection
walks all of them, 80-140 ms measured here, and one comes every time the objects
that survived since the last one grow by a quarter: while the rest of a meeting
loads, while another meeting opens, now and then while typing. The interpreter
is held meanwhile, so the keys and the frames wait.

``gc.freeze()`` moves every object alive now out of the collector's sight (they
are still freed when nothing refers to them); ``gc.unfreeze()`` hands them back.
A screen holds the heap once its meeting is loaded and releases it when it
closes: what it dropped is then collected as usual, so nothing is kept for good
(freezing for good kept every closed screen alive: 37 MB per round of three).
"""

from __future__ import annotations

import gc


def hold() -> None:
    """What is loaded now stays out of full collections until :func:`release`."""
    gc.freeze()


def release() -> None:
    """Everything held goes back to the collector (also what other screens held:
    cheaper than tracking whose objects are whose), and what the closing screen
    dropped is collected now, while nothing is typed: left for later, the next
    meeting's objects were laid out around it and the process kept growing
    (2 MB a round of opening and closing a meeting)."""
    gc.unfreeze()
    gc.collect()
