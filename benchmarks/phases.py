"""Phase timing shared by the benchmark scripts: wall time and peak RSS after each phase."""

from __future__ import annotations

import gc
import resource
import time


class PhaseTimer:
    """``lap(name)`` records the time since the previous lap and the process's peak RSS (MiB).

    Pauses the cyclic garbage collector, as ``reasoner.api.batch_mode`` does around
    ``analyze()`` and every CLI command, so the phases are timed as a check runs them."""

    def __init__(self) -> None:
        gc.disable()
        self.times: dict[str, float] = {}
        self.rss: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.times[name] = now - self._t
        self.rss[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self._t = now
