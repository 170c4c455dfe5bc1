"""The one exception root of newsstream, and the errors the pure cores raise.

It lives here, beside the cores, because cores may not import ``streams``; ``streams.exceptions`` builds
on it. Every message says what happened and what the user can do about it.
"""

from __future__ import annotations


class NewsstreamError(Exception):
    """Root of every error newsstream raises on purpose."""


class BadArticle(NewsstreamError):
    """An article that cannot be processed; it becomes a dead letter, never a crash.

    ``reason`` is a short stable code (``invalid_json``, ``schema``, ``empty_body``, ``too_large``,
    ``bad_encoding``, ``empty_after_cleaning``...) that users filter dead letters by.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class ConfigError(NewsstreamError):
    """A setting, rules file or gazetteer file is invalid; the message names the field to fix."""
