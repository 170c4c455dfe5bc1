"""Errors raised at the streaming edge; all rooted in :class:`agents.errors.NewsstreamError`."""

from __future__ import annotations

from agents.errors import BadArticle, ConfigError, NewsstreamError

__all__ = ["BadArticle", "BrokerUnavailable", "ConfigError", "NewsstreamError"]


class BrokerUnavailable(NewsstreamError):
    """No broker could be reached or started; the message says how to start one."""
