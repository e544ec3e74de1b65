"""Indonesian date and time formats (on top of Django's own ``id`` formats): dates written out
in full ("18 November 2024") and the 24-hour clock with a dot ("14.30"), as official letters do.
``core.formats`` appends the time zone."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = "j F Y H.i"
