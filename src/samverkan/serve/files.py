"""The files the page may load: a fixed list, never a folder.

textual-serve's terminal script, its stylesheet and its fonts come from the
installed ``textual_serve`` package; the page's own stylesheet and script
from this package. A name not in the list is not served, whatever the path.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def _files() -> dict[str, Path]:
    import textual_serve

    theirs = Path(textual_serve.__file__).parent / "static"
    ours = Path(__file__).parent / "static"
    return {
        "js/textual.js": theirs / "js" / "textual.js",
        "css/xterm.css": theirs / "css" / "xterm.css",
        "fonts/RobotoMono-VariableFont_wght.ttf": theirs
        / "fonts"
        / "RobotoMono-VariableFont_wght.ttf",
        "fonts/RobotoMono-Italic-VariableFont_wght.ttf": theirs
        / "fonts"
        / "RobotoMono-Italic-VariableFont_wght.ttf",
        "page.css": ours / "page.css",
        "page.js": ours / "page.js",
    }


FILES = tuple(sorted(_files()))


def static_file(name: str) -> Path | None:
    """The file served as ``/static/NAME``, or None."""
    return _files().get(name)
