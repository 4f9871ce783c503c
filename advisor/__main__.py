"""Run the command line: python -m advisor --help."""

import os
import sys

# Before numpy is imported: no huge pages for large arrays (see the Makefile's note)
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

from advisor.cli import main

sys.exit(main())
