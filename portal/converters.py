"""Dates in portal URLs: /sites/4/dar/2026-12-01 and /summaries/2026-11. Anything else is not a portal URL (404)."""

from __future__ import annotations

from datetime import date


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # a ValueError (2026-02-30) makes the URL not match

    def to_url(self, value: date) -> str:
        return value.isoformat()


class MonthConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(f"{value}-01")

    def to_url(self, value: date) -> str:
        return f"{value:%Y-%m}"
