"""The HTML the browser gets: textual-serve's terminal, with nothing from outside.

textual-serve's own template loads a web font from the internet and runs
inline scripts; this page names only files of this server (see
:data:`samverkan.serve.files.FILES`), which its Content-Security-Policy
enforces in the browser as well.
"""

from __future__ import annotations

from html import escape

from samverkan.i18n import _, current_language


def security_headers(websocket_url: str) -> dict[str, str]:
    """Headers of every answer: only this server's own files, never framed, no referrer."""
    policy = "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            # xterm.js sets styles on its elements and inserts its own <style>.
            "style-src 'self' 'unsafe-inline'",
            "font-src 'self'",
            "img-src 'self'",
            f"connect-src {websocket_url}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )
    return {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-store",
    }


def observer_page(*, title: str, observer: str, websocket_url: str, font_size: int = 16) -> str:
    lang = current_language()
    heading = escape(_("{observer} observes {title}").format(observer=observer, title=title))
    connecting = escape(_("Connecting…"))
    ended = escape(_("The connection has ended."))
    again = escape(_("Join again"))
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading}</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<link rel="stylesheet" href="/static/page.css">
<script src="/static/page.js"></script>
<script src="/static/js/textual.js"></script>
</head>
<body>
<div class="dialog intro"><div class="box">
{heading}<br>{connecting}
</div></div>
<div class="dialog closed"><div class="box">
{ended}
<br><button type="button" id="again">{again}</button>
</div></div>
<div id="start"></div>
<div id="terminal" class="textual-terminal"
 data-session-websocket-url="{escape(websocket_url)}" data-font-size="{font_size}"></div>
</body>
</html>
"""


def refusal_page(message: str) -> str:
    lang = current_language()
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>samverkan</title></head>
<body><p>{escape(message)}</p></body>
</html>
"""
