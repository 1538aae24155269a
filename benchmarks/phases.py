"""What the benchmark scripts share: phase timing (wall time and peak RSS after each phase), and
the generated lineages they read."""

from __future__ import annotations

import gc
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def generated_lineage(size: int, seed: int) -> Path:
    """``benchmarks/out/gen-SIZE-sSEED.prov``, written by generate.py the first time it is asked for."""
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    path = out / f"gen-{size}-s{seed}.prov"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), "--seed", str(seed), "-o", str(path)],
                       check=True)
    return path


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
