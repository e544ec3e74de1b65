"""Settings for the test suite: the production settings with a throwaway key.

The tests run with neither DEBUG nor DEMO, where sinergi.settings refuses the default key; a real key
from the environment still wins.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-never-used-to-serve")

from sinergi.settings import *  # noqa: F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A test whose connections wait on each other (a thread's query behind the test's open
    # transaction) fails with the waiting query named instead of hanging the suite.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c lock_timeout=120s"  # noqa: F405
