"""Generic boilerplate vocabulary of news pages in Arabic, Persian and English.

These are the labels every news CMS prints around an article ("read also", "related articles", "tags:",
"back to top", view counters...), not the wording of any particular site. Each pattern is written in display
form and compiled against the matching form (``agents.text.normalize``), so hamza, ta marbuta, Persian
ya/kaf and digit variants all match. A line is tested with :func:`classify_phrase`, which returns the kind of
boilerplate and the text after the label (for metadata lines such as ``المصدر: ...``).
"""

from __future__ import annotations

import re
from enum import Enum

from agents.text.normalize import normalize


class PhraseKind(Enum):
    """What a boilerplate label means for the lines around it."""

    TERMINAL = "terminal"  # the article is over: related lists, comments, "back to top"
    TAGS = "tags"  # tag line; terminal after the body, its value becomes CleanResult.tags
    ATTRIBUTION = "attribution"  # "source: ..."; metadata, terminal after the body
    BYLINE = "byline"  # "by ..."; metadata
    DATE_LABEL = "date_label"  # "published: ..."; metadata, parsed as the publication date
    LEAD = "lead"  # "read also: ..."; the teaser headline that follows is dropped too
    BLOCK_START = "block_start"  # "recommended stories": a list until its end marker or the next prose
    BLOCK_END = "block_end"  # "end of list"
    DROP = "drop"  # a chrome line on its own: share buttons, copyright, cookie notice
    MASTHEAD = "masthead"  # "chairman of the board ... editor-in-chief"
    COUNTER = "counter"  # "3 views", "5 min read"
    FIGURE = "figure"  # figure marker or photo-credit caption


def _alternation(phrases: list[str]) -> str:
    forms = sorted({normalize(p) for p in phrases}, key=len, reverse=True)
    return "|".join(re.escape(f).replace(r"\ ", r"\s*") for f in forms)


# fmt: off
_TERMINAL = [
    "موضوعات متعلقة", "مواضيع متعلقة", "مواضيع ذات صلة", "موضوعات ذات صلة", "مقالات ذات صلة",
    "مقالات متعلقة", "أخبار ذات صلة", "أخبار متعلقة", "اخبار ذات صلة", "الأكثر قراءة", "الأكثر مشاهدة",
    "الأكثر تداولا", "زر الذهاب إلى الأعلى", "العودة إلى الأعلى", "التعليقات", "أضف تعليق",
    "اترك تعليقا", "اترك تعليقاً", "شارك برأيك", "تعليقات الفيسبوك", "قد يعجبك أيضا", "قد يهمك أيضا",
    "ننصحك بقراءة", "مطالب مرتبط", "موضوعات مرتبط", "مطالب بیشتر", "اخبار مرتبط", "خبرهای مرتبط",
    "مطالب پیشنهادی", "پربازدیدترین", "پربیننده‌ترین", "پربیننده ترین", "ارسال نظر", "نظرات",
    "دیدگاه‌ها", "related articles", "related stories", "related news", "related posts",
    "related content", "related", "more from", "more stories", "more news", "most read",
    "most popular", "most viewed", "comments", "leave a comment", "leave a reply", "back to top",
    "you may also like", "read next", "up next",
]
_TAGS = [
    "كلمات دلالية", "الكلمات الدلالية", "الكلمات المفتاحية", "كلمات مفتاحية", "الوسوم", "وسوم",
    "تاغات", "برچسب‌ها", "برچسب ها", "برچسب", "کلیدواژه‌ها", "کلیدواژه ها", "کلمات کلیدی", "tags",
    "topics", "keywords", "tagged",
]
_ATTRIBUTION = [
    "المصدر", "مصدر الخبر", "منبع", "منبع خبر", "source", "sources",
]
_BYLINE = [
    "بقلم", "كتب", "كتبت", "كتب ـ", "إعداد", "تحرير", "به قلم", "نویسنده", "خبرنگار", "گزارش", "by",
    "written by", "author", "reporting by",
]
_DATE_LABEL = [
    "تاريخ النشر", "نشر في", "نشر بتاريخ", "تاريخ الخبر", "تم النشر", "آخر تحديث", "اخر تحديث",
    "تاريخ", "تاريخ التحديث", "تاریخ انتشار", "زمان انتشار", "انتشار", "به‌روزرسانی", "published",
    "published on", "updated", "last updated", "posted", "posted on", "date",
]
_LEAD = [
    "اقرأ أيضا", "إقرأ أيضا", "اقرأ ايضا", "اقرأ كذلك", "اقرأ المزيد", "إقرأ المزيد", "شاهد أيضا",
    "طالع أيضا", "طالع أيضاً", "شاهد", "اقرأ", "إقرأ", "بیشتر بخوانید", "همچنین بخوانید", "بخوانید",
    "ببینید", "read more", "read also", "also read", "see also", "read", "watch", "more",
]
_BLOCK_START = [
    "قصص موصى بها", "قصص مقترحة", "مقترحات لك", "مقالات مقترحة", "recommended stories", "recommended",
    "recommended for you", "داستان‌های پیشنهادی", "پیشنهاد سردبیر",
]
_BLOCK_END = [
    "نهاية القائمة", "end of list", "پایان فهرست", "پایان لیست",
]
_DROP = [
    "زر الذهاب إلى الأعلى", "العودة للأعلى", "شارك", "مشاركة", "شارك الخبر", "شارك المقال", "طباعة",
    "تابعونا", "تابعونا على", "تابعنا على", "اشترك في النشرة", "اشترك الآن", "إعلان", "اعلانات",
    "جميع الحقوق محفوظة", "حقوق النشر", "سياسة الخصوصية", "اتصل بنا", "من نحن", "الرئيسية",
    "تسجيل الدخول", "ملفات تعريف الارتباط", "أرسل", "نسخ الرابط", "الصفحة الرئيسية", "اشتراک‌گذاری",
    "اشتراک گذاری", "چاپ", "تبلیغات", "صفحه اصلی", "کلیه حقوق", "تمامی حقوق", "کوکی", "share",
    "share this", "share this article", "tweet", "print", "email", "facebook", "فيسبوك", "فيس بوك",
    "تويتر", "واتساب", "واتس اب", "تيليجرام", "تلغرام", "تلجرام", "انستغرام", "إنستغرام", "انستجرام",
    "يوتيوب", "لينكد إن", "فیسبوک", "توییتر", "تلگرام", "اینستاگرام", "واتس‌اپ", "instagram",
    "youtube", "twitter", "whatsapp", "telegram", "linkedin", "follow us", "subscribe", "sign up",
    "log in", "advertisement", "sponsored", "all rights reserved", "copyright", "cookies",
    "privacy policy", "terms of use", "contact us", "about us", "home", "skip to content", "copy link",
]
_MASTHEAD = [
    "رئيس مجلس الإدارة", "رئيس التحرير", "مدير التحرير", "المدير العام", "رئيس مجلس الادارة",
    "مدیرمسئول", "مدیر مسئول", "سردبیر", "صاحب امتیاز", "editor-in-chief", "editor in chief",
    "managing editor", "publisher",
]
# fmt: on

_PREFIX_KINDS: list[tuple[PhraseKind, re.Pattern[str]]] = [
    (PhraseKind.TAGS, re.compile(rf"^(?:{_alternation(_TAGS)})\s*[:：]\s*(.*)$")),
    (PhraseKind.ATTRIBUTION, re.compile(rf"^(?:{_alternation(_ATTRIBUTION)})\s*[:：]\s*(.{{0,80}})$")),
    # One-word labels ("date", "تاريخ") need a colon; "تاريخ النشر 28/4/2025" does not.
    (
        PhraseKind.DATE_LABEL,
        re.compile(
            rf"^(?:(?:{_alternation([p for p in _DATE_LABEL if ' ' in p])})\s*[:：]?"
            rf"|(?:{_alternation([p for p in _DATE_LABEL if ' ' not in p])})\s*[:：])"
            r"\s*(.{0,60}\d.{0,40})$"
        ),
    ),
    (PhraseKind.BYLINE, re.compile(rf"^(?:{_alternation(_BYLINE)})\s*[:：\-–—]\s*(.{{2,80}})$")),
    (PhraseKind.LEAD, re.compile(rf"^(?:{_alternation(_LEAD)})\s*(?:[:：]\s*|\s+[\-–—|]\s*)(.*)$")),
]
_BYLINE_BY_RE = re.compile(r"^(?:by|بقلم|به قلم)\s+(.{2,60})$")
# Whole-line labels (the line is the label, maybe with punctuation or an arrow).
_WHOLE_KINDS: list[tuple[PhraseKind, re.Pattern[str]]] = [
    (PhraseKind.BLOCK_END, re.compile(rf"^(?:{_alternation(_BLOCK_END)})\W*$")),
    (PhraseKind.BLOCK_START, re.compile(rf"^(?:{_alternation(_BLOCK_START)})\W*$")),
    (PhraseKind.TERMINAL, re.compile(rf"^(?:{_alternation(_TERMINAL)})\W*$")),
    (PhraseKind.TAGS, re.compile(rf"^(?:{_alternation(_TAGS)})\W*$")),
    (PhraseKind.LEAD, re.compile(rf"^(?:{_alternation(_LEAD)})\W*$")),
    (PhraseKind.DROP, re.compile(rf"^\W*(?:{_alternation(_DROP)})\W*$")),
]
_ANYWHERE_RE = re.compile(
    r"(?P<drop>©|جميع الحقوق محفوظه|all rights reserved|كليه حقوق|تمامي حقوق|we use cookies|"
    r"ملفات تعريف الارتباط|this website uses cookies|از كوكي|click here|اضغط هنا|انقر هنا|كليك كنيد)"
    r"|(?P<masthead>" + _alternation(_MASTHEAD) + ")"
)
_COUNTER_RE = re.compile(
    r"^(?:(?:عدد )?(?:المشاهدات|القراءات|views|بازديد)\s*[:：]?\s*)?\d[\d,.]*\s*k?\s*"
    r"(?:مشاهده|مشاهدات|قراءه|قراءات|زياره|زيارات|تعليق|تعليقات|views?|reads?|comments?|shares?|"
    r"بازديد|نظر|دقيقه قراءه|دقائق قراءه|دقيقه للقراءه|min read|minutes? read|mins? read|دقيقه مطالعه)?\W*$"
)
_FIGURE_RE = re.compile(
    r"^(?:<\s*(?:الشكل|شكل|صوره|figure|image|img|photo|شكل|تصوير|عكس)\s*>|\[\s*(?:صوره|image|photo)\s*\])"
)
# Caption and credit labels that open a line ("Image caption, ...", "توضیح تصویر، ...", "مصدر الصورة").
# fmt: off
_CAPTION_LABELS = [
    "توضیح تصویر", "اعتبار تصویر", "منبع تصویر", "عکس", "مصدر الصورة", "التعليق على الصورة", "صورة",
    "تعليق الصورة", "image caption", "image source", "photo", "image", "caption", "credit",
    "getty images",
]
# fmt: on
_CAPTION_RE = re.compile(rf"^(?:{_alternation(_CAPTION_LABELS)})\s*(?:[،,:：|-]|$)")
_CREDIT_RE = re.compile(
    r"[\[(]\s*(?:ملف|صوره|تصوير|ارشيف|ارشيفيه|file|photo|image|credit|عكس|منبع عكس)\s*[:：]"
    r"[^\])]{0,120}[\])]\s*$"
)


_CRUMB_RE = re.compile(r"^[^.!?:]{1,40}(?:\s[>›»|/]\s[^.!?:>›»|/]{1,40}){1,6}$")


_FIRST_WORD_RE = re.compile(r"\W*(\w+)")
_KIND_PHRASES: dict[PhraseKind, list[str]] = {
    PhraseKind.TERMINAL: _TERMINAL,
    PhraseKind.TAGS: _TAGS,
    PhraseKind.ATTRIBUTION: _ATTRIBUTION,
    PhraseKind.BYLINE: _BYLINE,
    PhraseKind.DATE_LABEL: _DATE_LABEL,
    PhraseKind.LEAD: _LEAD,
    PhraseKind.BLOCK_START: _BLOCK_START,
    PhraseKind.BLOCK_END: _BLOCK_END,
    PhraseKind.DROP: _DROP,
}


def _first_word(norm: str) -> str:
    match = _FIRST_WORD_RE.match(norm)
    return match.group(1) if match else ""


# First word of every label → the kinds it may start. A line whose first word starts no label (almost
# every line of prose) skips all label patterns, which is what keeps classification cheap.
_KINDS_BY_FIRST_WORD: dict[str, frozenset[PhraseKind]] = {}
_KIND_PHRASES[PhraseKind.FIGURE] = _CAPTION_LABELS
for _kind, _phrases in _KIND_PHRASES.items():
    for _phrase in _phrases:
        _word = _first_word(normalize(_phrase))
        _KINDS_BY_FIRST_WORD[_word] = _KINDS_BY_FIRST_WORD.get(_word, frozenset()) | {_kind}
_CLOSERS = " \t\"'”’»)]}*"
_SENTENCE_ENDS = (".", "!", "?")
_COUNTER_LABELS = ("عدد", "المشاهدات", "القراءات", "views", "بازديد")
# Words of which one must be present before the copyright/cookie/masthead alternation is tried at all.
_ANYWHERE_WORDS = frozenset(
    normalize(word)
    for word in [
        "رئيس",
        "مدير",
        "المدير",
        "مدیر",
        "مدیرمسئول",
        "سردبیر",
        "صاحب",
        "editor",
        "editor-in-chief",
        "publisher",
        "حقوق",
        "الحقوق",
        "rights",
        "cookie",
        "cookies",
        "کوکی",
        "الارتباط",
        "here",
        "هنا",
        "کنید",
    ]
)


def classify_phrase(norm: str, words: list[str] | None = None) -> tuple[PhraseKind | None, int]:
    """Return the boilerplate kind of a line (matching form) and where the value after its label starts.

    ``(None, -1)`` means the line carries no generic boilerplate label; a start of ``-1`` means the label
    has no value on this line. The start indexes the matching form; map it to the display line with
    ``normalize_with_offsets``/``to_original_span``. ``words`` is ``norm.split()`` when the caller has it.
    """
    if not norm:
        return None, -1
    if words is None:
        words = norm.split()
    size = len(norm)
    kinds = _KINDS_BY_FIRST_WORD.get(_first_word(norm))
    if kinds:
        if size <= 60:
            for kind, pattern in _WHOLE_KINDS:
                if kind in kinds and pattern.match(norm):
                    return kind, -1
        for kind, pattern in _PREFIX_KINDS:
            if kind in kinds:
                match = pattern.match(norm)
                if match:
                    return kind, (match.start(1) if match.group(1).strip() else -1)
        if PhraseKind.FIGURE in kinds and size <= 300 and _CAPTION_RE.match(norm):
            return PhraseKind.FIGURE, -1
        if PhraseKind.BYLINE in kinds and size <= 80:
            match = _BYLINE_BY_RE.match(norm)
            if match and len(match.group(1).split()) <= 5:
                return PhraseKind.BYLINE, match.start(1)
    first = norm[0]
    if size > 120 and first not in "<[":
        # A long line can only be a photo credit, a copyright notice or a masthead.
        if norm.endswith(("]", ")")) and _CREDIT_RE.search(norm, size - 160):
            return PhraseKind.FIGURE, -1
        if size <= 300 and ("©" in norm or not norm.rstrip(_CLOSERS).endswith(_SENTENCE_ENDS)):
            return _anywhere(norm, size, words)
        return None, -1
    counter_like = first.isdigit() or norm.startswith(_COUNTER_LABELS)
    if size <= 60 and counter_like and _COUNTER_RE.match(norm) and not norm.isdigit():
        return PhraseKind.COUNTER, -1
    if first in "<[" and _FIGURE_RE.match(norm):
        return PhraseKind.FIGURE, -1
    has_separator = " > " in norm or " › " in norm or " » " in norm or " | " in norm or " / " in norm
    if size <= 120 and has_separator and _CRUMB_RE.match(norm):
        return PhraseKind.DROP, -1
    if norm.endswith(("]", ")")) and _CREDIT_RE.search(norm, max(0, size - 160)):
        return PhraseKind.FIGURE, -1
    if size <= 300 and ("©" in norm or not norm.rstrip(_CLOSERS).endswith(_SENTENCE_ENDS)):
        return _anywhere(norm, size, words)
    return None, -1


def _anywhere(norm: str, size: int, words: list[str]) -> tuple[PhraseKind | None, int]:
    # A word-set test is ten times cheaper than trying the full alternation on every line.
    if "©" not in norm and "cookie" not in norm and _ANYWHERE_WORDS.isdisjoint(words):
        return None, -1
    match = _ANYWHERE_RE.search(norm)
    if match is not None:
        if match.group("drop"):
            return PhraseKind.DROP, -1
        if size <= 200:
            return PhraseKind.MASTHEAD, -1
    return None, -1
