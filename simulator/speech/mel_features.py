"""Whisper's log-Mel features computed a block of frames at a time, so their memory does not grow
with the audio.

faster-whisper's ``FeatureExtractor`` builds the whole spectrogram of what it is given at once: for a
two-minute part of a long recording that is about 110 MB of frames, complex spectra and magnitudes,
and the two decodes of a part (the transcript and the second look for fillers) build theirs at the
same moment. :class:`BlockFeatureExtractor` gives the same features, bit for bit
(``tests/unit/test_mel_features.py``), from blocks of :data:`BLOCK_FRAMES` frames: about 12 MB
whatever the length. It wraps the model's own extractor and keeps its settings.
"""

from __future__ import annotations

from typing import Any

import numpy as np

BLOCK_FRAMES = 2048
"""Frames (10 ms each) computed at a time."""


class BlockFeatureExtractor:
    """A drop-in for faster-whisper's ``FeatureExtractor`` (``model.feature_extractor``).

    Every attribute is the wrapped extractor's; only the call is done in blocks. The Mel floor
    (8 dB below the loudest frame of the whole input) is applied once all blocks are in, as before.
    """

    def __init__(self, extractor: Any) -> None:
        object.__setattr__(self, "_inner", extractor)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._inner, name, value)

    def __call__(
        self, waveform: np.ndarray, padding: int = 160, chunk_length: int | None = None
    ) -> np.ndarray:
        inner = self._inner
        if chunk_length is not None:  # as the original: the call sets the window length
            inner.n_samples = chunk_length * inner.sampling_rate
            inner.nb_max_frames = inner.n_samples // inner.hop_length
        n_fft, hop = inner.n_fft, inner.hop_length
        x = np.asarray(waveform, dtype=np.float32)
        if padding:
            x = np.pad(x, (0, padding))
        x = np.pad(x, n_fft // 2, mode="reflect")  # the STFT's centring
        if len(x) < n_fft:
            raise ValueError(f"stft: expected 0 < n_fft <= {len(x)}, but got n_fft={n_fft}")
        n = (len(x) - n_fft) // hop  # frames kept: the STFT's last one is dropped, as in the original
        window = np.hanning(n_fft + 1)[:-1].astype(np.float32)
        # The power spectrum is filled a block at a time and multiplied by the Mel filters once, in
        # the original's layout: BLAS sums in an order that depends on the matrix's width, so a
        # product per block differs from the whole one in the last bit.
        power = np.empty((n, n_fft // 2 + 1), np.float32).T
        for lo in range(0, n, BLOCK_FRAMES):
            hi = min(n, lo + BLOCK_FRAMES)
            frames = np.lib.stride_tricks.as_strided(
                x[lo * hop:], (1, hi - lo, n_fft), (0, hop * x.strides[0], x.strides[0]), writeable=False
            ) * window
            spectrum = np.fft.rfft(frames, n=n_fft, axis=-1).transpose((0, 2, 1))[0].astype(np.complex64)
            del frames
            np.square(np.abs(spectrum), out=power[:, lo:hi])
            del spectrum
        mel = inner.mel_filters @ power
        del power
        log_spec = np.log10(np.clip(mel, a_min=1e-10, a_max=None), out=mel)
        log_spec = np.maximum(log_spec, log_spec.max() - 8.0, out=log_spec)
        return (log_spec + 4.0) / 4.0
