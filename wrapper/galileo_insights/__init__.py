"""Galileo Logstream Insights SDK: the hand-written layer over the generated ``galileo_insights_api``."""

__version__ = "0.1.0"

__all__ = ["__version__"]
