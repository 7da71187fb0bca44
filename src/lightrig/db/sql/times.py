"""The store's clock: every time it writes or compares is an aware UTC datetime, and leases are
lengths in seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["as_utc", "lease_length", "utc_now"]


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive value is taken to be UTC already. A moment that lies beyond
    the calendar's ends in UTC (year 1 east of Greenwich, year 9999 west of it) is clamped to
    that end, which orders the same against every stored time."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        end = datetime.min if value.year == datetime.min.year else datetime.max
        return end.replace(tzinfo=UTC)


def lease_length(lease_s: float) -> timedelta:
    """A lease of ``lease_s`` seconds; :class:`ValueError` unless it is positive."""
    if not lease_s > 0:
        raise ValueError(f"lease_s must be a positive number of seconds, not {lease_s!r}")
    return timedelta(seconds=lease_s)
