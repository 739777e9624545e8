"""Text to speech and speech recognition."""
