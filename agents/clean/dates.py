"""Publication dates written on news pages: Gregorian, Solar Hijri and lunar Hijri, absolute or relative.

All parsing runs on the matching form of a line (``agents.text.normalize``: ASCII digits, one alef, ة→ه,
ى→ي, Persian ی/ک → ي/ك, lower case), so ``٢٨ أبريل ٢٠٢٥``, ``28 إبريل 2025`` and ``۲۸ آوریل ۲۰۲۵`` reach
the same patterns. Month names cover Egyptian/Gulf (أبريل), Levantine (نيسان, كانون الثاني), Maghrebi
(أبريل, غشت, جوان), Persian (آوریل, and the Solar Hijri months فروردین ... اسفند) and English.

Every candidate is checked for plausibility: never before ``min_year`` and never after the anchor
(``fetched_at``, else now) plus one day. A numeric date with a 13xx/14xx year is ambiguous between the Solar
and the lunar Hijri calendars; both are tried and the latest plausible date wins, since a page is dated
near the time it is fetched (1404/10/07 → 2025-12-28 rather than the lunar reading, 1984).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from agents.clean.calendars import lunar_hijri_to_gregorian, solar_hijri_to_gregorian
from agents.text.normalize import normalize

Precision = Literal["datetime", "date"]


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A parsed date: aware UTC datetime, precision, and where in the line it was found."""

    value: datetime
    precision: Precision
    start: int
    end: int


_GREGORIAN_MONTHS: dict[str, int] = {}
_SOLAR_MONTHS: dict[str, int] = {}
_LUNAR_MONTHS: dict[str, int] = {}


def _add(target: dict[str, int], month: int, *names: str) -> None:
    for name in names:
        target[normalize(name)] = month


for _m, _names in enumerate(
    [
        ("january", "jan", "يناير", "كانون الثاني", "جانفي", "ژانویه", "ژانویهٔ"),
        ("february", "feb", "فبراير", "شباط", "فيفري", "فوریه"),
        ("march", "mar", "مارس", "آذار", "اذار"),
        ("april", "apr", "أبريل", "إبريل", "ابريل", "نيسان", "أفريل", "افريل", "آوریل", "آپریل"),
        ("may", "مايو", "أيار", "ايار", "ماي", "مه", "می"),
        ("june", "jun", "يونيو", "يونيه", "حزيران", "جوان", "ژوئن"),
        ("july", "jul", "يوليو", "يوليه", "تموز", "يوليوز", "جويلية", "ژوئیه", "جولای"),
        ("august", "aug", "أغسطس", "اغسطس", "آب", "غشت", "أوت", "اوت", "اوت"),
        ("september", "sep", "sept", "سبتمبر", "أيلول", "ايلول", "شتنبر", "سپتامبر"),
        ("october", "oct", "أكتوبر", "اكتوبر", "تشرين الأول", "أكتوبر", "اکتبر"),
        ("november", "nov", "نوفمبر", "تشرين الثاني", "نونبر", "نوامبر"),
        ("december", "dec", "ديسمبر", "كانون الأول", "دجنبر", "دسامبر"),
    ],
    start=1,
):
    _add(_GREGORIAN_MONTHS, _m, *_names)
for _m, _name in enumerate(
    ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"],
    start=1,
):
    _add(_SOLAR_MONTHS, _m, _name)
for _m, _names in enumerate(
    [
        ("محرم",),
        ("صفر",),
        ("ربيع الأول",),
        ("ربيع الآخر", "ربيع الثاني"),
        ("جمادى الأولى",),
        ("جمادى الآخرة", "جمادى الثانية"),
        ("رجب",),
        ("شعبان",),
        ("رمضان",),
        ("شوال",),
        ("ذو القعدة",),
        ("ذو الحجة",),
    ],
    start=1,
):
    _add(_LUNAR_MONTHS, _m, *_names)
# Gregorian names win where Persian and Arabic spellings coincide (e.g. "اذار" is March, "اذر" is Azar).
_ALL_MONTHS: dict[str, tuple[str, int]] = {}
for _table, _calendar in ((_LUNAR_MONTHS, "lunar"), (_SOLAR_MONTHS, "solar"), (_GREGORIAN_MONTHS, "greg")):
    for _name, _num in _table.items():
        _ALL_MONTHS[_name] = (_calendar, _num)

_MONTH_ALT = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(_ALL_MONTHS, key=len, reverse=True))
# A Latin abbreviation may carry its full stop ("Nov. 11, 2025", AP style).
_MONTH = rf"(?P<month>{_MONTH_ALT})\.?(?:\s*[/(]\s*(?:{_MONTH_ALT})\s*\)?)?"
_TIME = (
    r"(?:\s*(?:[-–|,،@]|at|الساعه|ساعت|ساعه)?\s*(?:الساعه\s*)?(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::\d{2})?\s*(?P<ampm>am|pm|ص|م|صباحا|مساء|ق\.ظ|ب\.ظ)?"
    r"\s*(?P<tz>gmt|utc|z|ت\s*غ|(?:gmt|utc)?\s*[+-]\d{1,2}(?::?\d{2})?)?)?"
)
_NOT_DIGIT_BEFORE = r"(?<![\d/.-])"
_NOT_DIGIT_AFTER = r"(?![\d/])"
_TEXT_DMY_RE = re.compile(
    _NOT_DIGIT_BEFORE
    + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*(?:من\s+)?,?\s*"
    + _MONTH
    + r"\s*,?\s*(?:سنه\s*|عام\s*)?(?P<year>\d{4})"
    + _NOT_DIGIT_AFTER
    + r"\s*(?:ه\b|هـ|م\b|ش\b|ميلادي|هجري)?"
    + _TIME
)
_TEXT_MDY_RE = re.compile(
    r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(?P<year>\d{4})" + _NOT_DIGIT_AFTER + _TIME
)
_ISO_RE = re.compile(
    _NOT_DIGIT_BEFORE
    + r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    + r"(?:[t ]\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?\s*"
    + r"(?P<tz>z|utc|gmt|[+-]\d{2}:?\d{2})?)?"
    + _NOT_DIGIT_AFTER
)
_NUMERIC_RE = re.compile(
    _NOT_DIGIT_BEFORE
    + r"(?P<a>\d{1,4})\s*(?P<sep>[/.])\s*(?P<b>\d{1,2})\s*(?P=sep)\s*(?P<c>\d{1,4})"
    + _NOT_DIGIT_AFTER
    + _TIME
)
_WEEKDAYS = {
    normalize(name): number
    for number, names in enumerate(
        [
            ("الإثنين", "الاثنين", "monday", "دوشنبه"),
            ("الثلاثاء", "tuesday", "سه‌شنبه", "سه شنبه"),
            ("الأربعاء", "الاربعاء", "wednesday", "چهارشنبه"),
            ("الخميس", "thursday", "پنجشنبه", "پنج‌شنبه"),
            ("الجمعة", "friday", "جمعه"),
            ("السبت", "saturday", "شنبه"),
            ("الأحد", "الاحد", "sunday", "یکشنبه", "یک‌شنبه"),
        ]
    )
    for name in names
}
_WEEKDAY_ALT = "|".join(re.escape(n).replace(r"\ ", r"\s*") for n in sorted(_WEEKDAYS, key=len, reverse=True))
_TODAY_WEEKDAY_RE = re.compile(rf"(?:^|\s)(?:اليوم|امروز|today,?|this)\s+(?P<weekday>{_WEEKDAY_ALT})(?!\w)")
_TODAY_RE = re.compile(r"^(?:اليوم|امروز|today)(?:\W+\d{1,2}:\d{2}.{0,12})?\W*$")
_AGO_RE = re.compile(
    r"(?:منذ|قبل)\s+(?P<n>\d+)?\s*(?P<unit>دقيقه|دقائق|ساعه|ساعات|ساعتين|يوم|ايام|يومين)"
    r"|(?P<n2>\d+)\s*(?P<unit2>minutes?|mins?|hours?|hrs?|days?|دقيقه|ساعت|روز)\s*(?:ago|پيش|قبل)"
    r"|(?P<yesterday>^امس$|^yesterday$|^ديروز$)"
)
_YEAR_RE = re.compile(r"(?<!\d)\d{4}(?!\d)")
_ZONE_WORDS = frozenset(["gmt", "utc", "z", "am", "pm", "ص", "م", "ت", "غ"])
_TZ_OFFSET_RE = re.compile(r"([+-])(\d{1,2})(?::?(\d{2}))?")


@dataclass(frozen=True, slots=True)
class DateWindow:
    """Plausible range for a publication date: ``[min_year-01-01, anchor + 1 day]``."""

    anchor: datetime
    min_year: int

    @property
    def latest(self) -> datetime:
        return self.anchor + timedelta(days=1)

    def accepts(self, value: datetime) -> bool:
        return value.year >= self.min_year and value <= self.latest


def _tz_offset(tz: str | None) -> timedelta | None:
    """Offset named by a time-zone token; ``None`` when absent (time is then not trusted)."""
    if not tz:
        return None
    tz = tz.strip()
    if tz in ("gmt", "utc", "z") or tz.replace(" ", "") == "تغ":
        return timedelta(0)
    match = _TZ_OFFSET_RE.search(tz)
    if not match:
        return None
    sign = -1 if match.group(1) == "-" else 1
    return sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))


def _combine(day: date, groups: dict[str, str | None]) -> tuple[datetime, Precision]:
    """Midnight UTC with date precision, or the stated time converted to UTC when a zone is given."""
    offset = _tz_offset(groups.get("tz"))
    hour, minute = groups.get("hour"), groups.get("minute")
    if offset is not None and hour is not None and minute is not None:
        h, m = int(hour), int(minute)
        ampm = groups.get("ampm") or ""
        if ampm in ("pm", "م", "مساء", "ب.ظ") and h < 12:
            h += 12
        elif ampm in ("am", "ص", "صباحا", "ق.ظ") and h == 12:
            h = 0
        if h < 24 and m < 60:
            local = datetime(day.year, day.month, day.day, h, m, tzinfo=UTC)
            return local - offset, "datetime"
    return datetime(day.year, day.month, day.day, tzinfo=UTC), "date"


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _calendar_candidates(year: int, month: int, day: int, calendar: str) -> list[date]:
    if calendar == "solar":
        converted = solar_hijri_to_gregorian(year, month, day)
        return [converted] if converted else []
    if calendar == "lunar":
        converted = lunar_hijri_to_gregorian(year, month, day)
        return [converted] if converted else []
    if 1300 <= year <= 1500:
        return [
            d
            for d in (solar_hijri_to_gregorian(year, month, day), lunar_hijri_to_gregorian(year, month, day))
            if d
        ]
    converted = _safe_date(year, month, day)
    return [converted] if converted else []


def _pick(
    candidates: list[date], groups: dict[str, str | None], window: DateWindow
) -> tuple[datetime, Precision] | None:
    best: tuple[datetime, Precision] | None = None
    for candidate in candidates:
        value, precision = _combine(candidate, groups)
        if window.accepts(value) and (best is None or value > best[0]):
            best = (value, precision)
    return best


def find_date(norm: str, window: DateWindow) -> FoundDate | None:
    """First plausible absolute date in a line (matching form), or ``None``."""
    if _YEAR_RE.search(norm) is None:
        return None
    found: list[FoundDate] = []
    for match in _ISO_RE.finditer(norm) if "-" in norm else ():
        groups = match.groupdict()
        picked = _pick(
            _calendar_candidates(int(groups["year"]), int(groups["month"]), int(groups["day"]), "greg"),
            groups,
            window,
        )
        if picked:
            found.append(FoundDate(picked[0], picked[1], match.start(), match.end()))
            break
    for pattern in (_TEXT_DMY_RE, _TEXT_MDY_RE):
        for match in pattern.finditer(norm):
            groups = match.groupdict()
            calendar, month = _ALL_MONTHS[re.sub(r"\s+", " ", groups["month"])]
            picked = _pick(
                _calendar_candidates(int(groups["year"]), month, int(groups["day"]), calendar), groups, window
            )
            if picked:
                found.append(FoundDate(picked[0], picked[1], match.start(), match.end()))
                break
    if not found and ("/" in norm or "." in norm):
        for match in _NUMERIC_RE.finditer(norm):
            groups = match.groupdict()
            a, b, c = int(groups["a"]), int(groups["b"]), int(groups["c"])
            if len(groups["a"]) == 4:
                candidates = _calendar_candidates(a, b, c, "greg")
            elif len(groups["c"]) == 4:
                candidates = _calendar_candidates(c, b, a, "greg")
                if not candidates and b <= 31 and a <= 12:
                    candidates = _calendar_candidates(c, a, b, "greg")
            else:
                continue
            picked = _pick(candidates, groups, window)
            if picked:
                found.append(FoundDate(picked[0], picked[1], match.start(), match.end()))
                break
    if not found:
        return None
    return min(found, key=lambda f: f.start)


def find_relative_date(norm: str, window: DateWindow, header: bool) -> FoundDate | None:
    """A date written relative to the day of publication, resolved against the anchor (date precision).

    ``اليوم الإثنين`` / ``today Monday`` anywhere in the line; ``منذ 3 ساعات``, ``2 hours ago``, ``أمس``
    and a bare ``اليوم`` only when ``header`` says the line is a short metadata line (in prose they
    describe events, not the article).
    """
    anchor_day = window.anchor.date()
    has_today = "اليوم" in norm or "امروز" in norm or "today" in norm or "this" in norm
    match = _TODAY_WEEKDAY_RE.search(norm) if has_today else None
    if match:
        weekday = _WEEKDAYS[re.sub(r"\s+", " ", match.group("weekday"))]
        back = (anchor_day.weekday() - weekday) % 7
        day = anchor_day - timedelta(days=back)
        return FoundDate(
            datetime(day.year, day.month, day.day, tzinfo=UTC), "date", match.start(), match.end()
        )
    if not header:
        return None
    if _TODAY_RE.match(norm):
        return FoundDate(
            datetime(anchor_day.year, anchor_day.month, anchor_day.day, tzinfo=UTC), "date", 0, 5
        )
    match = _AGO_RE.search(norm)
    if not match:
        return None
    if match.group("yesterday"):
        delta = timedelta(days=1)
    else:
        unit = match.group("unit") or match.group("unit2") or ""
        count = int(match.group("n") or match.group("n2") or (2 if unit in ("ساعتين", "يومين") else 1))
        if unit.startswith(("دقيق", "دقائق", "min")):
            delta = timedelta(minutes=count)
        elif unit.startswith(("ساع", "hour", "hr")):
            delta = timedelta(hours=count)
        else:
            delta = timedelta(days=count)
    moment = window.anchor - delta
    day = moment.date()
    return FoundDate(datetime(day.year, day.month, day.day, tzinfo=UTC), "date", match.start(), match.end())


def parse_machine_date(value: str, window: DateWindow) -> tuple[datetime, Precision] | None:
    """Parse an ISO 8601 value from HTML metadata (``article:published_time``, ``<time datetime>``)."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        found = find_date(normalize(value), window)
        return (found.value, found.precision) if found else None
    if len(value) <= 10 or parsed.tzinfo is None:
        result, precision = datetime(parsed.year, parsed.month, parsed.day, tzinfo=UTC), "date"
    else:
        result, precision = parsed.astimezone(UTC), "datetime"
    return (result, precision) if window.accepts(result) else None


def is_date_line(norm: str, found: FoundDate) -> bool:
    """True when a line is little more than its date (a dateline to extract rather than keep as text)."""
    rest = norm[: found.start] + " " + norm[found.end :]
    rest_words = [w for w in re.findall(r"\w+", rest) if not w.isdigit() and w not in _ZONE_WORDS]
    weekday_or_label = sum(1 for w in rest_words if w in _WEEKDAYS or len(w) <= 2)
    return len(rest_words) - weekday_or_label <= 2
