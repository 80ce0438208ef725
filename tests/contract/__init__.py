"""Contract tests: the generated models held to the pinned spec and to the fixtures in ``tests/fixtures``."""
