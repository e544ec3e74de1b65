"""Settings for the test suite: the production settings with a throwaway key.

The tests run with neither DEBUG nor DEMO, where sinergi.settings refuses the default key; a real key
from the environment still wins.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-never-used-to-serve")

from sinergi.settings import *  # noqa: F403
