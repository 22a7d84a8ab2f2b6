"""The one exception type a user may see: its message is the sentence to show."""


class UserError(Exception):
    """Something the user can act on; ``str()`` is one clear sentence, already translated."""


def problem_sentence(exc: BaseException) -> str:
    """One sentence for the user, whatever went wrong: ours as written, the database's
    (locked, full, unreadable) in plain words, never a traceback."""
    from samverkan.i18n import _

    if isinstance(exc, UserError):
        return str(exc)
    text = str(exc)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return _("the database is busy: another program is writing to it; try again in a moment")
    if "disk is full" in lowered or "no space" in lowered:
        return _("the disk is full; free some space and try again")
    reason = text.splitlines()[0] if text else type(exc).__name__
    return _("the database could not be used ({reason})").format(reason=reason[:120])
