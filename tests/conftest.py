"""Shared pytest configuration: hypothesis profiles that keep the suite fast and deterministic in time,
and the ``torch`` fixture of the tests that compare with PyTorch."""

import os

import pytest
from hypothesis import HealthCheck, settings

# No deadline: the machine may be shared, and tests never time anything.
settings.register_profile(
    "chaingrad", deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("chaingrad-thorough", parent=settings.get_profile("chaingrad"), max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "chaingrad"))


@pytest.fixture
def torch():
    """The torch module; a test that asks for it is skipped where PyTorch is not installed."""
    return pytest.importorskip("torch")
