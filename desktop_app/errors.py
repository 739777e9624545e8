"""The station's exception tree. The UI shows any StationError through one dialog function."""


class StationError(Exception):
    """Something the station can explain to a person: what happened and how to fix it."""

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} {self.fix}" if self.fix else self.message


class ConfigError(StationError):
    """A setting is missing or invalid."""


class DeviceError(StationError):
    """A camera, microphone or speaker could not be used."""


class SpeechModelError(StationError):
    """The speech-recognition model could not be loaded or run."""


class TranscriptionError(StationError):
    """Audio could not be transcribed (unreadable file, failed or cancelled stream)."""


class UnreadableAudioError(TranscriptionError):
    """A recording holds no audio the station can decode: trying it again will not help."""


class TranscriptionCancelled(TranscriptionError):
    """A transcription was stopped before its end (the station was needed for an interview)."""


class TextToSpeechError(StationError):
    """A question could not be rendered to speech."""


class PlanError(StationError):
    """An interview plan is malformed."""
