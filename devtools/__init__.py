"""Tools for developing the app, shared by the tests, the benchmarks and scripts/: not the app."""
