"""The model loading in the background is named before it is ready."""

from __future__ import annotations

from simulator.tui.backends import LazyTranscriber


class _Model:
    engine = "faster-whisper"
    model_name = "base.en-custom"

    def transcribe(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


def test_a_session_started_before_the_model_loads_names_the_model_being_loaded():
    # Found after a crash: the recovered session (started while the model loaded) said "Engine: loading
    # loading" in its export, and "first recorded with loading loading" after rescore.
    lazy = LazyTranscriber(_Model, engine="faster-whisper", model_name="base")
    assert (lazy.engine, lazy.model_name) == ("faster-whisper", "base")
    lazy.load()
    assert (lazy.engine, lazy.model_name) == ("faster-whisper", "base.en-custom")  # what actually loaded
    assert LazyTranscriber(_Model).engine == "loading"  # nothing known yet
