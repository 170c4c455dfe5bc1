"""Cleaning stage core: a crawled page (text or HTML) in; the article's title, body, language and date out.

Pure: no faust, aiokafka or ``streams`` imports. ``agent.py`` (written by the stage owner) wires
:class:`Cleaner` to the ``news.raw`` → ``news.clean`` topics with a Faust table as ``chrome_store``.
"""

from agents.clean.core import Cleaner, CleanOptions, CleanResult, PageInput, matching_text

__all__ = ["CleanOptions", "CleanResult", "Cleaner", "PageInput", "matching_text"]
