"""The one exception type a user may see: its message is the sentence to show."""


class UserError(Exception):
    """Something the user can act on; ``str()`` is one clear sentence, already translated."""
