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

Freezing alone was not enough. Right after a freeze the collector counts almost
nothing as long-lived, so the rule "a full collection when the survivors grow by
a quarter" fired every two or three seconds of typing: 20 full collections of
up to 94 ms in 50 s of typing into a 5,000-note meeting, one in every fifty
Enters (Enter → committed p99 5-10 ms instead of 3.5). The middle generation's
collections (about 1 ms, every tenth young one) then made most of what was left
of the slowest Enters. While the heap is held both are therefore off; the
screens call :func:`tidy` at a pause in the typing, which collects what was made
since and holds the survivors too, so each tidy walks only a few seconds' worth
of objects. The youngest generation is still collected as usual (0.1-0.5 ms),
which frees most garbage; what outlives it waits for the next tidy.
"""

from __future__ import annotations

import gc
import time

# The older generations' thresholds while held: never reached between two tidies.
_NEVER = 1 << 30

# A tidy comes after this long without a key (a pause in the typing) ...
PAUSE_SECONDS = 1.0
# ... at most this often ...
TIDY_SECONDS = 10.0
# ... and after this long in any case, so that a minute of typing without a pause
# cannot let garbage pile up.
LONGEST_SECONDS = 60.0

_thresholds: tuple[int, int, int] | None = None  # the collector's own, while held
_last_tidy = 0.0


def hold() -> None:
    """What is loaded now stays out of full collections until :func:`release`; the
    automatic full collection waits for :func:`tidy`."""
    global _thresholds, _last_tidy
    gc.freeze()
    if _thresholds is None:
        _thresholds = gc.get_threshold()
        gc.set_threshold(_thresholds[0], _NEVER, _NEVER)
        _last_tidy = time.monotonic()


def held() -> bool:
    return _thresholds is not None


def release() -> None:
    """Everything held goes back to the collector (also what other screens held:
    cheaper than tracking whose objects are whose), and what the closing screen
    dropped is collected now, while nothing is typed: left for later, the next
    meeting's objects were laid out around it and the process kept growing
    (2 MB a round of opening and closing a meeting)."""
    global _thresholds
    if _thresholds is not None:
        gc.set_threshold(*_thresholds)
        _thresholds = None
    gc.unfreeze()
    gc.collect()


def due(now: float, last_key: float) -> bool:
    """Whether to tidy now: held, a while since the last tidy, and the keys paused
    (or the longest wait is over). Times are monotonic seconds."""
    if _thresholds is None:
        return False
    since = now - _last_tidy
    if since < TIDY_SECONDS:
        return False
    return now - last_key >= PAUSE_SECONDS or since >= LONGEST_SECONDS


def tidy(now: float) -> None:
    """The full collection held back since the last one: garbage made since the
    heap was held (or last tidied) is freed, and what survives is held too."""
    global _last_tidy
    if _thresholds is None:
        return
    gc.collect()
    gc.freeze()
    _last_tidy = now
