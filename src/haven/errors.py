"""Errors that actions raise when a request is refused for a reason the user can fix."""


class ActionRefused(Exception):
    """An action was refused; `message` is translated and safe to show to the user."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
