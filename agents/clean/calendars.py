"""Solar Hijri (Persian) and tabular Islamic (lunar Hijri) dates converted to Gregorian.

Persian sites date articles in the Solar Hijri calendar (1404/10/07 is 2025-12-28); generic date parsers
read such a string as the Gregorian year 1404, which is why the conversion lives here. The Solar Hijri
conversion is the arithmetic 33-year-cycle algorithm (as in jalaali-js / jdatetime), exact for 1178-1633 SH.
The lunar Hijri conversion is the tabular (arithmetical) calendar, which may differ from the sighted month
start by a day or two: good enough for a publication date, not for religious use.
"""

from __future__ import annotations

from datetime import date

_GREGORIAN_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_HIJRI_EPOCH_ORDINAL = date(622, 7, 19).toordinal()  # 1 Muharram 1 AH (Julian 16 July 622)


def solar_hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    """Convert a Solar Hijri date; ``None`` when the month or day is out of range."""
    if not (1 <= month <= 12) or not (1 <= day <= (31 if month <= 6 else 30)):
        return None
    jy = year + 1595
    days = -355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + day
    days += (month - 1) * 31 if month < 7 else (month - 7) * 30 + 186
    gy = 400 * (days // 146097)
    days %= 146097
    if days > 36524:
        days -= 1
        gy += 100 * (days // 36524)
        days %= 36524
        if days >= 365:
            days += 1
    gy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        gy += (days - 1) // 365
        days = (days - 1) % 365
    gd = days + 1
    leap = (gy % 4 == 0 and gy % 100 != 0) or gy % 400 == 0
    gm = 1
    for length in _GREGORIAN_MONTH_DAYS:
        length = 29 if (gm == 2 and leap) else length
        if gd <= length:
            break
        gd -= length
        gm += 1
    try:
        return date(gy, gm, gd)
    except ValueError:
        return None


def lunar_hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    """Convert a lunar Hijri date with the tabular calendar; ``None`` when out of range."""
    if year < 1 or not (1 <= month <= 12) or not (1 <= day <= 30):
        return None
    days = (year - 1) * 354 + (3 + 11 * year) // 30 + (59 * (month - 1) + 1) // 2 + day - 1
    try:
        return date.fromordinal(_HIJRI_EPOCH_ORDINAL + days)
    except (ValueError, OverflowError):
        return None
