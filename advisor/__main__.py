"""Run the command line: python -m advisor --help."""

import os
import sys

# Before numpy and pyarrow are imported: their memory for large arrays (the Makefile's note)
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")

from advisor.cli import main

sys.exit(main())
