"""Performance benchmarks: ``.venv/bin/python benchmarks/run.py`` prints the whole table (see README.md here)."""
