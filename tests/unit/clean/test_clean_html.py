"""HTML input: markup chrome removed, link lists recognised, metadata read from the head."""

from __future__ import annotations

from datetime import UTC, datetime

from agents.clean import Cleaner, PageInput
from agents.clean.html import parse_html

PAGE = """<html lang="ar"><head><title>عنوان الصفحة | موقع</title>
<meta property="article:published_time" content="2025-06-01T10:00:00Z">
<script>var tracking = "x";</script></head><body>
<nav><a href="/">الرئيسية</a><a href="/p">سياسة</a></nav>
<h1>وزير الخارجية يبدأ جولة إقليمية تشمل أربع دول</h1>
<p>بدأ وزير الخارجية اليوم جولة إقليمية تشمل أربع دول، يبحث خلالها <b>الأوضاع</b> في المنطقة وسبل تعزيز التعاون الاقتصادي.</p>
<div><a href="/1">خبر أول عن الطقس والأمطار</a> <a href="/2">خبر ثان عن الرياضة والدوري</a> <a href="/3">خبر ثالث عن الاقتصاد</a></div>
<p>وقال المتحدث باسم الوزارة إن الجولة ستتضمن توقيع عدد من الاتفاقيات الثنائية في مجالات الطاقة والنقل.</p>
<footer>جميع الحقوق محفوظة</footer></body></html>"""  # noqa: E501


def test_parse_html_gives_block_lines_with_link_density() -> None:
    parsed = parse_html(PAGE)
    assert parsed.title == "وزير الخارجية يبدأ جولة إقليمية تشمل أربع دول"
    assert parsed.language == "ar"
    assert parsed.published == ["2025-06-01T10:00:00Z"]
    assert not any("tracking" in line or "الرئيسية" in line for line in parsed.lines)
    inline = next(line for line in parsed.lines if line.startswith("بدأ وزير"))
    assert "الأوضاع في المنطقة" in inline  # inline markup does not split a paragraph
    links = parsed.link_ratios[
        parsed.lines.index(next(line for line in parsed.lines if line.startswith("خبر أول")))
    ]
    assert links > 0.9


def test_html_page_is_cleaned_with_metadata() -> None:
    result = Cleaner({}).clean(
        PageInput(source="html-site", html=PAGE, fetched_at=datetime(2025, 6, 1, 12, tzinfo=UTC))
    )
    assert result.title == "وزير الخارجية يبدأ جولة إقليمية تشمل أربع دول"
    assert result.published_at == datetime(2025, 6, 1, 10, tzinfo=UTC)
    assert result.published_precision == "datetime"
    assert "خبر أول" not in result.text and "الحقوق" not in result.text
    assert result.text.startswith("بدأ وزير الخارجية") and result.text.endswith("والنقل.")


def test_malformed_html_does_not_raise() -> None:
    result = Cleaner({}).clean(
        PageInput(
            source="s",
            html="<p>بدأ وزير الخارجية اليوم جولة إقليمية تشمل أربع دول، يبحث خلالها الأوضاع.<div><p>",
        )
    )
    assert result.text.startswith("بدأ وزير الخارجية")
