"""The gettext catalogues match the code: every UI string has a Swedish translation that keeps
its placeholders, the committed .mo files are compiled from the .po files, and the language is
chosen as documented.

When one of these fails, run ``scripts/update-translations`` and translate what it lists in
``src/samverkan/i18n/locale/sv/LC_MESSAGES/samverkan.po``.
"""

from __future__ import annotations

import io
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

import samverkan
from samverkan.i18n import (
    LANGUAGES,
    LOCALE_DIR,
    _,
    current_language,
    ngettext,
    resolve_language,
    set_language,
)

babel_extract = pytest.importorskip("babel.messages.extract")
from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.mofile import read_mo, write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

PACKAGE_DIR = Path(samverkan.__file__).parent
# The keywords of scripts/update-translations (pybabel -k): every marker samverkan.i18n has.
KEYWORDS = {
    "_": None,
    "ngettext": (1, 2),
    "N_": None,
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
FIX = "run scripts/update-translations, then translate the entries it lists in {po}"

MsgId = str | tuple[str, ...]
Key = tuple[str | None, MsgId]  # (msgctxt, msgid)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "samverkan.po"


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "samverkan.mo"


def load_po(lang: str) -> Catalog:
    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang, domain="samverkan")


def extracted() -> dict[Key, list[str]]:
    """Every marked (context, msgid) in the package, with the places it comes from."""
    found: dict[Key, list[str]] = {}
    for filename, lineno, message, _comments, context in babel_extract.extract_from_dir(
        PACKAGE_DIR, keywords=KEYWORDS
    ):
        key = (context, message if isinstance(message, str) else tuple(message))
        found.setdefault(key, []).append(f"src/samverkan/{filename}:{lineno}")
    return found


def translated_pairs(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """(msgid, msgstr) for every translated form; plural forms pair with singular/plural."""
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str):
            if message.string:
                yield message.id, str(message.string)
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        for index, text in enumerate(strings):
            if text:
                yield message.id[min(index, len(message.id) - 1)], text


def fields(text: str) -> set[str]:
    """The ``{name!conversion:spec}`` replacement fields of a format string."""
    result = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            result.add(
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
    return result


# --------------------------------------------------------------------------- (a)


def test_every_msgid_in_the_code_has_a_swedish_translation() -> None:
    catalog = load_po("sv")
    missing, untranslated, fuzzy = [], [], []
    for (context, msgid), places in sorted(extracted().items(), key=lambda item: str(item[0])):
        singular = msgid if isinstance(msgid, str) else msgid[0]
        message = catalog.get(singular, context)
        where = f"{msgid!r}  ({places[0]})"
        if context:
            where = f"[msgctxt {context!r}] {where}"
        if message is None or (
            not isinstance(msgid, str) and tuple(message.id) != msgid  # plural changed
        ):
            missing.append(where)
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if not strings or not all(strings):
            untranslated.append(where)
        elif message.fuzzy:
            fuzzy.append(where)
    problems = (
        [f"not in sv.po: {m}" for m in missing]
        + [f"no Swedish translation: {m}" for m in untranslated]
        + [f"fuzzy (review, then remove the fuzzy flag): {m}" for m in fuzzy]
    )
    assert not problems, (
        f"{len(problems)} UI strings lack a Swedish translation; "
        + FIX.format(po=po_path("sv").relative_to(PACKAGE_DIR.parent.parent))
        + ":\n  "
        + "\n  ".join(problems)
    )


def test_the_template_and_english_catalogue_hold_every_msgid() -> None:
    """The .pot and en.po are regenerated too, so tools and reviewers see the same list."""
    in_code = {(c, m if isinstance(m, str) else m[0]) for c, m in extracted()}
    for path in (LOCALE_DIR.parent / "samverkan.pot", po_path("en")):
        with path.open("rb") as fh:
            listed = {
                (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(fh) if m.id
            }
        missing = sorted(in_code - listed)
        assert not missing, f"{path.name} lacks {missing}; run scripts/update-translations"


# --------------------------------------------------------------------------- (b)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang: str) -> None:
    problems = []
    for msgid, msgstr in translated_pairs(load_po(lang)):
        try:
            wanted, got = fields(msgid), fields(msgstr)
        except ValueError as exc:  # unbalanced { or }
            problems.append(f"{msgid!r} -> {msgstr!r}: not a format string ({exc})")
            continue
        if wanted != got:
            lost = ", ".join(sorted(wanted - got)) or "none"
            extra = ", ".join(sorted(got - wanted)) or "none"
            problems.append(f"{msgid!r} -> {msgstr!r}: lost {lost}; added {extra}")
    assert not problems, f"{lang} translations with other placeholders than their msgid:\n  " + (
        "\n  ".join(problems)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_leading_and_trailing_whitespace(lang: str) -> None:
    """``_("Your tags: ")`` is followed by other text; a translation must keep the space."""

    def edges(text: str) -> tuple[str, str]:
        return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]

    problems = [
        f"{msgid!r} -> {msgstr!r}"
        for msgid, msgstr in translated_pairs(load_po(lang))
        if edges(msgid) != edges(msgstr)
    ]
    assert not problems, "translations whose leading/trailing whitespace differs:\n  " + (
        "\n  ".join(problems)
    )


def test_swedish_plural_forms() -> None:
    catalog = load_po("sv")
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"
    assert catalog.num_plurals == 2


# --------------------------------------------------------------------------- (c)


def _content(catalog: Catalog) -> dict[Key, MsgId]:
    return {
        (m.context, m.id if isinstance(m.id, str) else tuple(m.id)): (
            m.string if isinstance(m.string, str) else tuple(m.string or ())
        )
        for m in catalog
        if m.id
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_committed_mo_files_are_compiled_from_the_po_files(lang: str) -> None:
    assert mo_path(lang).is_file(), f"{mo_path(lang)} is missing; run scripts/update-translations"
    buf = io.BytesIO()
    write_mo(buf, load_po(lang), use_fuzzy=False)
    buf.seek(0)
    expected = read_mo(buf)
    with mo_path(lang).open("rb") as fh:
        committed = read_mo(fh)
    want, have = _content(expected), _content(committed)
    stale = sorted(
        (str(k) for k in want.keys() | have.keys() if want.get(k) != have.get(k)), key=str
    )
    assert not stale, (
        f"{mo_path(lang).name} ({lang}) differs from its .po in {len(stale)} entries, e.g. "
        f"{stale[:5]}; run scripts/update-translations to compile it"
    )
    assert committed.plural_forms == expected.plural_forms


# --------------------------------------------------------------------------- (d)


@pytest.fixture
def restore_language() -> Iterator[None]:
    previous = current_language()
    yield
    set_language(previous)


@pytest.mark.usefixtures("restore_language")
def test_swedish_is_used_after_set_language() -> None:
    assert load_po("sv").get("Help") is not None, "pick another msgid: 'Help' is gone"
    set_language("sv")
    assert current_language() == "sv"
    assert _("Help") == "Hjälp"
    set_language("en")
    assert _("Help") == "Help"


@pytest.mark.usefixtures("restore_language")
def test_swedish_plurals_are_used_after_set_language() -> None:
    plurals = [
        (tuple(m.id), tuple(m.string))
        for m in load_po("sv")
        if isinstance(m.id, (list, tuple)) and isinstance(m.string, (list, tuple)) and all(m.string)
    ]
    if not plurals:
        pytest.skip("no plural msgid yet")
    (singular, plural), (one, many) = plurals[0]
    set_language("sv")
    assert ngettext(singular, plural, 1) == one
    assert ngettext(singular, plural, 2) == many
    assert ngettext(singular, plural, 0) == many


@pytest.mark.usefixtures("restore_language")
def test_an_unknown_language_falls_back_to_english() -> None:
    set_language("de")
    assert current_language() == "en"
    assert _("Help") == "Help"


# --------------------------------------------------------------------------- (e)


@pytest.mark.parametrize(
    ("cli_lang", "environ", "expected"),
    [
        # --lang beats SAMVERKAN_LANG and the locale
        ("en", {"SAMVERKAN_LANG": "sv", "LC_ALL": "sv_SE.UTF-8"}, "en"),
        ("sv", {"SAMVERKAN_LANG": "en", "LANG": "en_US.UTF-8"}, "sv"),
        # SAMVERKAN_LANG beats the locale
        (None, {"SAMVERKAN_LANG": "sv", "LC_ALL": "en_US.UTF-8"}, "sv"),
        (None, {"SAMVERKAN_LANG": "en", "LC_ALL": "sv_SE.UTF-8"}, "en"),
        (None, {"SAMVERKAN_LANG": "", "LANG": "sv_SE.UTF-8"}, "sv"),
        # the locale: LC_ALL, LC_MESSAGES, LANG, each sv_SE.UTF-8 => sv
        (None, {"LC_ALL": "sv_SE.UTF-8"}, "sv"),
        (None, {"LC_MESSAGES": "sv_SE.UTF-8"}, "sv"),
        (None, {"LANG": "sv_SE.UTF-8"}, "sv"),
        (None, {"LANG": "sv_FI.UTF-8"}, "sv"),
        (None, {"LC_ALL": "en_GB.UTF-8", "LANG": "sv_SE.UTF-8"}, "en"),
        (None, {"LC_ALL": "sv_SE.UTF-8", "LANG": "en_GB.UTF-8"}, "sv"),
        # otherwise English
        (None, {"LANG": "en_US.UTF-8"}, "en"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),
        (None, {"LANG": "C.UTF-8"}, "en"),
        (None, {}, "en"),
    ],
)
def test_resolve_language(cli_lang: str | None, environ: dict[str, str], expected: str) -> None:
    assert resolve_language(cli_lang, environ) == expected


def test_resolve_language_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    assert resolve_language(None) == "sv"
    monkeypatch.setenv("SAMVERKAN_LANG", "en")
    assert resolve_language(None) == "en"
    assert resolve_language("sv") == "sv"
