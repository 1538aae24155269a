"""Hypothesis profiles of the test suite (the property laws in tests/properties and every other
test that draws examples).

- ``default``: few examples per law, derandomized (the same examples every run, so the suite
  is stable in CI), no deadline (a solve takes longer than hypothesis's 200 ms default on a busy
  machine), no example database (nothing is written into the repository).
- ``thorough``: many more random examples; run it before a release or after changing the KB
  core: ``pytest tests/properties --hypothesis-profile=thorough``.

``PROVLAW_HYPOTHESIS_PROFILE=thorough pytest`` selects the profile for a whole-suite run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

settings.register_profile("default", max_examples=30, derandomize=True, **_COMMON)
settings.register_profile("thorough", max_examples=300, **_COMMON)

if os.environ.get("PROVLAW_HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["PROVLAW_HYPOTHESIS_PROFILE"])
elif settings.get_current_profile_name() == "default":
    settings.load_profile("default")
