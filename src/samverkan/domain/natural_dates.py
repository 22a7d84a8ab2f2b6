"""Due dates written the way people say them, in Swedish or English.

Recognised phrases (case does not matter; ``today`` is passed in, never read from a clock):

- ISO ``2018-09-01``; day/month (the Swedish order) ``1/9``, ``1/9 2018``, ``1/9/2018``,
  ``1/9-18``; a month name ``1 sep``, ``1:a sep``, ``1 september 2018``, ``1st of Sep``, and
  English ``Sep 1``, ``September 1st, 2018``.
- ``idag``/``i dag``/``today``, ``imorgon``/``i morgon``/``tomorrow``, ``i övermorgon``/
  ``day after tomorrow``.
- A weekday (``fredag``, ``friday``): the next such day after today, never today itself.
  ``nästa fredag``/``next friday``: that day in next week (weeks start on Monday).
- ``nästa vecka``/``next week``: Monday of next week.
- ``om 3 dagar``/``in 3 days``, ``om 2 veckor``/``in 2 weeks``, ``om en månad``/``in a month``
  (a number in digits or a word up to ten).
- ``vecka 36``/``v. 36``/``v36``/``week 36``: Friday of that ISO week this year, or next year
  when that Friday has passed.
- ``månadsskiftet``/``slutet av månaden``/``end of month``: the last day of this month.

A date without a year is this year, or next year when it would be more than two months ago.
A phrase may be introduced by ``senast``, ``till``, ``före``, ``innan``, ``by``, ``due``,
``before``, ``until`` and then ``på``/``on``/``vid``/``at`` and ``den``/``the``; those words
belong to the phrase. When a text holds several phrases, the first introduced by one of the
due words wins, else the first. A phrase that names no real date (``31/2``, ``v. 53`` in a year
without one) is reported as a problem, never guessed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from samverkan.i18n import _

# A date without a year further back than this is meant for next year.
PAST_DAYS = 61

MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "february", "feb"), 2),
    **dict.fromkeys(("mars", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("maj", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("augusti", "august", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("december", "dec"), 12),
}
ENGLISH_MONTHS = (
    *("january", "february", "march", "april", "may", "june", "july", "august"),
    *("september", "october", "november", "december"),
    *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
)
WEEKDAYS = {
    **dict.fromkeys(("måndag", "monday"), 0),
    **dict.fromkeys(("tisdag", "tuesday"), 1),
    **dict.fromkeys(("onsdag", "wednesday"), 2),
    **dict.fromkeys(("torsdag", "thursday"), 3),
    **dict.fromkeys(("fredag", "friday"), 4),
    **dict.fromkeys(("lördag", "saturday"), 5),
    **dict.fromkeys(("söndag", "sunday"), 6),
}
NUMBERS = {
    **dict.fromkeys(("en", "ett", "one", "a", "an"), 1),
    **dict.fromkeys(("två", "two"), 2),
    **dict.fromkeys(("tre", "three"), 3),
    **dict.fromkeys(("fyra", "four"), 4),
    **dict.fromkeys(("fem", "five"), 5),
    **dict.fromkeys(("sex", "six"), 6),
    **dict.fromkeys(("sju", "seven"), 7),
    **dict.fromkeys(("åtta", "eight"), 8),
    **dict.fromkeys(("nio", "nine"), 9),
    **dict.fromkeys(("tio", "ten"), 10),
}
DUE_WORDS = ("senast", "till", "före", "innan", "by", "due", "before", "until")


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation that tries longer words first (``september`` before ``sep``)."""
    return "|".join(sorted((re.escape(word) for word in words), key=len, reverse=True))


_MONTH = _alternatives(MONTHS)
_FORMS = "|".join(
    (
        r"(?P<iso_y>\d{4})-(?P<iso_m>\d{1,2})-(?P<iso_d>\d{1,2})",
        rf"(?P<dm_d>\d{{1,2}})(?::[ae]|st|nd|rd|th)?\.?\s*(?:of\s+)?(?P<dm_m>{_MONTH})"
        r"(?:\.(?=\s+\d{4}))?(?:,?\s+(?P<dm_y>\d{4}))?",
        rf"(?P<md_m>{_alternatives(ENGLISH_MONTHS)})\.?\s+(?P<md_d>\d{{1,2}})"
        r"(?:st|nd|rd|th)?(?:,?\s+(?P<md_y>\d{4}))?",
        r"(?P<num_d>0?[1-9]|[12]\d|3[01])/(?P<num_m>0?[1-9]|1[0-2])"
        r"(?:/(?P<num_y>\d{4}|\d{2})|\s+(?P<num_sy>\d{4})|-(?P<num_dy>\d{4}|\d{2}))?(?![/\d])",
        r"(?P<today>idag|i\s+dag|today)",
        r"(?P<day_after>i\s+övermorgon|övermorgon|day\s+after\s+tomorrow)",
        r"(?P<tomorrow>imorgon|i\s+morgon|tomorrow)",
        r"(?P<next_week>nästa\s+vecka|next\s+week)",
        rf"(?:(?P<wd_next>nästa|next)\s+)?(?P<wd>{_alternatives(WEEKDAYS)})",
        rf"(?:om|in)\s+(?P<in_n>\d{{1,3}}|{_alternatives(NUMBERS)})\s+"
        r"(?P<in_unit>dagar|dag|days|day|veckor|vecka|weeks|week|månader|månad|months|month)",
        r"(?:vecka|week|wk|v\.?|w\.?)\s*(?P<week>\d{1,2})",
        r"(?P<month_end>månadsskiftet|månadsskifte|slutet\s+av\s+månaden"
        r"|end\s+of\s+(?:the\s+)?month)",
    )
)
_DUE = re.compile(
    rf"(?<![\w@/])(?:(?P<due>{'|'.join(DUE_WORDS)})\s+)?(?:(?:på|on|vid|at)\s+)?"
    rf"(?:(?:den|the)\s+)?(?P<when>{_FORMS})(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMatch:
    """Where a date phrase sits in a text (``start:end``) and what it means.

    Exactly one of ``value`` and ``problem`` is set: the date, or one sentence saying why the
    phrase names no date.
    """

    start: int
    end: int
    value: date | None
    problem: str | None


class _NoSuchWeek(ValueError):
    pass


def find_due(text: str, today: date) -> DateMatch | None:
    """The due-date phrase in ``text``, or None when it holds none."""
    matches = list(_DUE.finditer(text))
    if not matches:
        return None
    chosen = next((m for m in matches if m.group("due")), matches[0])
    return _evaluate(chosen, today)


def parse_due(text: str, today: date) -> tuple[date | None, str | None]:
    """A field that holds only a due date: ``(date, None)``, ``(None, problem)``, or
    ``(None, None)`` for an empty field."""
    tidy = " ".join(text.split())
    if not tidy:
        return None, None
    match = _DUE.fullmatch(tidy)
    if match is None:
        return None, _(
            "{phrase} is not a date; write e.g. 2018-09-01, 1/9, 1 sep or fredag"
        ).format(phrase=tidy)
    found = _evaluate(match, today)
    return found.value, found.problem


def _evaluate(match: re.Match[str], today: date) -> DateMatch:
    phrase = match.group("when")
    try:
        value = _resolve(match, today)
    except _NoSuchWeek as exc:
        return DateMatch(match.start(), match.end(), None, str(exc))
    except (ValueError, OverflowError):
        problem = _("there is no date {phrase}; write e.g. 2018-09-01, 1/9 or 1 sep")
        return DateMatch(match.start(), match.end(), None, problem.format(phrase=phrase))
    return DateMatch(match.start(), match.end(), value, None)


def _resolve(m: re.Match[str], today: date) -> date:
    if m.group("iso_y"):
        return date(int(m.group("iso_y")), int(m.group("iso_m")), int(m.group("iso_d")))
    if m.group("dm_d"):
        month = MONTHS[m.group("dm_m").casefold()]
        return _day_month(today, int(m.group("dm_d")), month, m.group("dm_y"))
    if m.group("md_d"):
        month = MONTHS[m.group("md_m").casefold()]
        return _day_month(today, int(m.group("md_d")), month, m.group("md_y"))
    if m.group("num_d"):
        year = m.group("num_y") or m.group("num_sy") or m.group("num_dy")
        return _day_month(today, int(m.group("num_d")), int(m.group("num_m")), year)
    if m.group("today"):
        return today
    if m.group("tomorrow"):
        return today + timedelta(days=1)
    if m.group("day_after"):
        return today + timedelta(days=2)
    if m.group("next_week"):
        return _next_monday(today)
    if m.group("wd"):
        weekday = WEEKDAYS[m.group("wd").casefold()]
        if m.group("wd_next"):
            return _next_monday(today) + timedelta(days=weekday)
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    if m.group("in_n"):
        return _later(today, m.group("in_n"), m.group("in_unit").casefold())
    if m.group("week"):
        return _friday_of_week(today, int(m.group("week")))
    return date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def _day_month(today: date, day: int, month: int, year: str | None) -> date:
    if year is not None:
        return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
    # Compare with the day clamped to the month, so 29/2 finds its year before it is checked.
    clamped = date(today.year, month, min(day, calendar.monthrange(today.year, month)[1]))
    past = clamped < today - timedelta(days=PAST_DAYS)
    return date(today.year + 1 if past else today.year, month, day)


def _later(today: date, count: str, unit: str) -> date:
    n = NUMBERS.get(count.casefold()) or int(count)
    if unit.startswith(("dag", "day")):
        return today + timedelta(days=n)
    if unit.startswith(("veck", "week")):
        return today + timedelta(weeks=n)
    months = today.month - 1 + n
    year, month = today.year + months // 12, months % 12 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def _friday_of_week(today: date, week: int) -> date:
    for year in (today.year, today.year + 1):
        try:
            friday = date.fromisocalendar(year, week, 5)
        except ValueError:
            raise _NoSuchWeek(
                _("there is no week {week} in {year}").format(week=week, year=year)
            ) from None
        if friday >= today:
            return friday
    raise OverflowError(week)  # unreachable: next year's Friday is always ahead
