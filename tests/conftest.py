"""Shared test configuration."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# The suite runs a short profile; `EMOCAT_HYPOTHESIS=long pytest tests/test_properties.py tests/test_fuzz.py`
# runs the long one (see benchmarks/README.md for the full list of files).
settings.register_profile("short", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("EMOCAT_HYPOTHESIS", "short"))
