"""The bad-input corpus: every kind of bad input a user can give the app, with the answer expected.

Each table is built in code (no committed blobs), and tests/test_bad_inputs.py runs every entry
through every path a user takes:

- files.py: survey and menu CSVs, through the importers, the page uploaders and the command line;
- links.py: share links, through the parser and the Find my massage page;
- names.py: service names a clinic owner types, through the designer form, a menu CSV and the
  exported menu;
- catalog.py: a damaged data/ folder, through the loader and the app's start.

An expected message is the exact text, or its exact start where the rest depends on the path
(a file's full path, a size bound).
"""
