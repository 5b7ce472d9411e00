"""Shared test configuration."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# The suite runs a short, derandomized profile: the same examples on every run, so a test run is reproducible
# and CI cannot fail on a draw nobody has seen. `EMOCAT_HYPOTHESIS=long pytest tests/test_properties.py ...`
# runs the long, random one that explores (see benchmarks/README.md for the full list of files).
settings.register_profile("short", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("EMOCAT_HYPOTHESIS", "short"))
