"""``python -m geodata``: the command line."""

import sys

from geodata.cli import main

sys.exit(main())
