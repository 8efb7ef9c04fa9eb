"""The unit tier runs in-process (tests/unit/test_unit_tier_is_in_process.py)."""

from __future__ import annotations

import pytest

from simulator.rubric import encoder_weights


@pytest.fixture(autouse=True)
def encoder_rewritten_in_memory(monkeypatch):
    """The app makes the encoder's int8 copy in a child process; here it is rewritten in memory
    instead. tests/integration/test_encoder_copy.py covers the copy."""
    monkeypatch.setattr(encoder_weights, "cached_int8_model", lambda *args, **kwargs: None)
