"""How the admin's form fields read what editors type: dates and times in UK formats, with a message
that gives the format when one cannot be read (cms/wagtail_hooks.py registers them for every form)."""

from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput, AdminTimeInput

DATETIME_HINT = "DD/MM/YYYY HH:MM"

DATETIME_FIELD = {
    "widget": AdminDateTimeInput(attrs={"placeholder": DATETIME_HINT}),
    "error_messages": {
        "invalid": "Enter the date and time as DD/MM/YYYY HH:MM, 24-hour, e.g. 10/12/2026 18:30.",
    },
}
DATE_FIELD = {
    "widget": AdminDateInput(attrs={"placeholder": "DD/MM/YYYY"}),
    "error_messages": {"invalid": "Enter the date as DD/MM/YYYY, e.g. 10/12/2026."},
}
TIME_FIELD = {
    "widget": AdminTimeInput(attrs={"placeholder": "HH:MM"}),
    "error_messages": {"invalid": "Enter the time as HH:MM, 24-hour, e.g. 18:30."},
}
