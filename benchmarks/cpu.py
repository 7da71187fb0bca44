"""CPU time from Linux's ``/proc``, for the benchmarks that run several processes: how busy a
process and the whole machine were during a measurement (``None`` where ``/proc`` is absent)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["machine_cpu_seconds", "process_cpu_seconds"]


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds process ``pid`` has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float | None:
    """CPU seconds every process on this machine has used so far (all cores together)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
