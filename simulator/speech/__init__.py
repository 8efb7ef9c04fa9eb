"""Speech in and out: transcribers (Whisper engines behind one interface) and text-to-speech."""
