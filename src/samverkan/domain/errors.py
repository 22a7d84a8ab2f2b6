"""The one exception type a user may see: its message is the sentence to show."""


class UserError(Exception):
    """Something the user can act on; ``str()`` is one clear sentence, already translated."""


def problem_sentence(exc: BaseException) -> str:
    """One sentence for the user, whatever went wrong: ours as written, the database's
    (locked, full, unreadable) in plain words, never a traceback."""
    from samverkan.i18n import _

    if isinstance(exc, UserError):
        return str(exc)
    # SQLAlchemy wraps the driver's error with its class, the SQL and a link: the
    # driver's own words are the useful part.
    original = getattr(exc, "orig", None)
    text = str(original if isinstance(original, BaseException) else exc)
    lowered = text.lower()
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        return _(
            "the database file is damaged ({reason}); restore a backup or choose another "
            "file with --db PATH"
        ).format(reason=text.splitlines()[0][:120])
    if "locked" in lowered or "busy" in lowered:
        return _("the database is busy: another program is writing to it; try again in a moment")
    if "disk is full" in lowered or "no space" in lowered:
        return _("the disk is full; free some space and try again")
    reason = text.splitlines()[0] if text else type(exc).__name__
    return _("the database could not be used ({reason})").format(reason=reason[:120])
