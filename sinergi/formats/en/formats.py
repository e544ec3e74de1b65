"""English date and time formats for Sinergi: the same day-month-year order as the Indonesian
pages ("18 November 2024") and the 24-hour clock ("14:30"), so both languages read alike.
``core.formats`` appends the time zone."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
