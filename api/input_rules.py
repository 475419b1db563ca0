"""What text, numbers and dates from a client may be: shared by the GraphQL checks and the HTTP guard.

PostgreSQL refuses NUL in text, and no encoder (UTF-8 for the database, the JSON and the HTML
answers) can write a lone surrogate, so both are refused at the door, on every backend alike.
"""

import datetime
import re

# A day one past either end still fits in `datetime`, in any time zone (day bounds, offsets).
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(9998, 12, 31)

_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
_ASCII_DIGITS = re.compile(r"[0-9]+")


def forbidden_character(text: str) -> str | None:
    """Why `text` cannot be taken (which character it holds), or None when it can."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return "contains a NUL character (U+0000)"
    return f"contains an unpaired surrogate (U+{ord(char):04X}), which is not a character"


def ascii_int(text: str, minimum: int, maximum: int) -> int | None:
    """`text` as an int if it is plain ASCII digits within [minimum, maximum]; otherwise None.

    `str.isdigit()` and `int()` accept other scripts' digits ("²", "٣"), signs, spaces and
    underscores; and `int()` of thousands of digits raises. Only 0-9 pass here.
    """
    if not _ASCII_DIGITS.fullmatch(text) or len(text.lstrip("0")) > len(str(maximum)):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def date_in_range(value: datetime.date) -> bool:
    """Whether a date (or datetime) is one the site's queries can compute with."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return MIN_DATE <= day <= MAX_DATE
