"""Run the command line: python -m advisor --help."""

import sys

from advisor.cli import main

sys.exit(main())
