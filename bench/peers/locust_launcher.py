"""Starts Debian's Locust 2.12 with its version string set.

Debian's python3-locust ships an empty version, which makes a master refuse every worker as
"pre 2.0". Setting it in memory before Locust's main runs is enough.
"""
import sys

import locust
import locust._version
import locust.main
import locust.runners

# Each module copied the empty string when it was imported: set it everywhere it is read.
VERSION = "2.12.1"
locust._version.version = VERSION
locust.__version__ = VERSION
locust.runners.__version__ = VERSION
locust.main.version = VERSION

from locust.main import main  # noqa: E402  (must follow the version fix)

sys.exit(main())
