"""The report's charts as a PNG or SVG picture, drawn by vl-convert (Vega in an embedded engine, no browser)."""

from __future__ import annotations

from typing import Any

from .._optional import require

PNG_SCALE = 2
"""Pixels per chart unit in a PNG: sharp on high-density screens and slides."""


def png(spec: dict[str, Any]) -> bytes:
    image: bytes = require("vl_convert", "a PNG report").vegalite_to_png(spec, scale=PNG_SCALE)
    return image


def svg(spec: dict[str, Any]) -> str:
    image: str = require("vl_convert", "an SVG report").vegalite_to_svg(spec)
    return image
