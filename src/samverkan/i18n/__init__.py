"""Translations: English message ids in the code, Swedish in a gettext catalogue.

The language is chosen once at start (``--lang``, ``SAMVERKAN_LANG``, the
locale) and can be switched for one rendering (minutes in the project's
language) with :func:`use_language`. ``_`` looks the message up at call time,
so module-level constants must not call it.
"""

from __future__ import annotations

import gettext
import locale
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

DOMAIN = "samverkan"
LANGUAGES = ("sv", "en")
LOCALE_DIR = Path(__file__).parent / "locale"

_cache: dict[str, gettext.NullTranslations] = {}
_current: gettext.NullTranslations = gettext.NullTranslations()
_current_lang = "en"
# A rendering in another language (minutes in the project's language) sets this
# for its own thread or task only; everything else keeps the interface language.
_override: ContextVar[tuple[str, gettext.NullTranslations] | None] = ContextVar(
    "samverkan_language", default=None
)


def _load(lang: str) -> gettext.NullTranslations:
    if lang not in _cache:
        _cache[lang] = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True
        )
    return _cache[lang]


def set_language(lang: str) -> None:
    global _current, _current_lang
    _current_lang = lang if lang in LANGUAGES else "en"
    _current = _load(_current_lang)


def current_language() -> str:
    override = _override.get()
    return override[0] if override else _current_lang


@contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Render one thing (minutes, a report) in another language, then go back.

    Only the calling thread (or task) switches: a worker rendering Swedish
    minutes does not change the language of the screen meanwhile.
    """
    chosen = lang if lang in LANGUAGES else "en"
    token = _override.set((chosen, _load(chosen)))
    try:
        yield
    finally:
        _override.reset(token)


def _translations() -> gettext.NullTranslations:
    override = _override.get()
    return override[1] if override else _current


def _(message: str) -> str:
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as used in ``context`` (e.g. a narrow column heading)."""
    return _translations().pgettext(context, message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


def resolve_language(cli_lang: str | None, environ: Mapping[str, str] | None = None) -> str:
    """``--lang`` wins, then ``SAMVERKAN_LANG``, then the locale; Swedish for sv*, else English."""
    env = os.environ if environ is None else environ
    for candidate in (cli_lang, env.get("SAMVERKAN_LANG")):
        if candidate:
            return "sv" if candidate.lower().startswith("sv") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var)
        if value:
            return "sv" if value.lower().startswith("sv") else "en"
    if environ is None:
        try:
            loc = locale.getlocale()[0] or ""
        except ValueError:
            loc = ""
        if loc.lower().startswith("sv"):
            return "sv"
    return "en"
