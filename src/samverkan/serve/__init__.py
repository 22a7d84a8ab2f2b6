"""``samverkan serve``: the observer screen of one meeting in a browser.

textual-serve's terminal page and its per-connection processes, behind an
aiohttp layer of samverkan's own: invitation tokens and session cookies, an
Origin and Host check, a fixed list of local files (no directory listing, no
fonts or scripts from outside), a cap on connections, and an observer-only
app behind the websocket. No Textual screens of its own live here.
"""
