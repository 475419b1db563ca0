"""British English as PSG writes it: 24-hour times (Django's en-gb says “2:30 p.m.”).

Only what differs from django/conf/locale/en_GB/formats.py; the rest, including the day-first
input formats (“25/10/2006 14:30”), comes from there.
"""

TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j M Y, H:i"  # 25 Oct 2006, 14:30
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 25/10/2006 14:30
