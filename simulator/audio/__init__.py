"""Audio in and out: the clip type, file decoding and resampling, capture, playback, voice activity."""
