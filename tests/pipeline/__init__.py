"""Tests of ``openapi/spec_pipeline``: selection, fetching, normalization and the spec change report."""
