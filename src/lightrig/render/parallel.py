"""How the compiled kernels' threads wait between parallel loops: passively.

numba runs a parallel loop on OpenMP's threads (its ``omp`` threading layer, GNU libgomp, where
installed). By default libgomp's idle threads spin before they sleep, which pays on a machine
of its own and costs dearly on a shared one: a spinning thread takes the core that the thread
still working needs, and every loop waits for its slowest thread. Measured on two cores under a
load of 5–6 (other processes busy), a 610 px studio frame rendered in 225–325 ms with passive
waiting against 310–495 ms with the default, rounds alternating. So, unless the environment
says otherwise, ``OMP_WAIT_POLICY`` is set to ``passive`` before numba first loads OpenMP.
"""

from __future__ import annotations

import os

__all__ = ["WAIT_POLICY", "wait_passively"]

#: The variable libgomp reads, once, when it is loaded.
WAIT_POLICY = "OMP_WAIT_POLICY"


def wait_passively() -> None:
    """Ask OpenMP's idle threads to sleep rather than spin (``OMP_WAIT_POLICY=passive``),
    unless the variable is already set; it only takes effect when OpenMP is loaded afterwards
    (numba loads it for its first parallel loop)."""
    os.environ.setdefault(WAIT_POLICY, "passive")
