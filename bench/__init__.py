"""`make bench`: import benchmarks against a raw baseline measured in the same run.

``python -m bench.run`` runs :mod:`bench.suite` in a subprocess per database (a fresh SQLite
file, and PostgreSQL when ``BENCH_DATABASE_URL`` or ``DATABASE_URL`` points to one) and prints
a table per database. Figures are reported, never asserted.
"""
