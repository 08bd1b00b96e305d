"""Hypothesis settings for the fuzzing tests: bounded examples, no deadline (the machine is
shared), and in CI the same examples on every run (derandomize) with nothing stored."""
import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "claimbook",
    max_examples=50,
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    database=None if os.environ.get("CI") == "true" else settings.default.database,
    # Examples reuse one test's database state; they only read, or are checked to write nothing.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "claimbook"))
