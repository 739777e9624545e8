"""The contract's shared guards: request text is plain text, station-reported times are plausible."""

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from sync_server.contract import (
    OrganizationUpdate,
    QuestionSetCreate,
    StationInterviewUpdate,
    Transcript,
)
from sync_server.contract.base import without_control_characters


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\ud800"])
def test_control_characters_are_refused_wherever_they_sit(bad: str) -> None:
    with pytest.raises(ValidationError, match=f"U\\+{ord(bad):04X}") as refused:
        Transcript.model_validate(
            {
                "text": "hello",
                "language": "en",
                "model": "tiny.en",
                "segments": [
                    {
                        "start": 0,
                        "end": 1,
                        "text": "hello",
                        "avg_logprob": -0.1,
                        "no_speech_prob": 0.0,
                        "words": [{"start": 0, "end": 1, "word": f"hel{bad}lo", "probability": 0.9}],
                    }
                ],
            }
        )
    assert refused.value.errors()[0]["loc"] == ("segments", 0, "words", 0, "word")
    with pytest.raises(ValidationError, match=r"questions\.0\.key_points"):
        QuestionSetCreate.model_validate(
            {"name": "Set", "questions": [{"text": "Tell me", "type": "technical", "key_points": ["a", bad]}]}
        )
    with pytest.raises(ValidationError, match=r"settings\.colors"):
        OrganizationUpdate.model_validate({"settings": {"colors": {f"primary{bad}": "#fff"}}})


def test_tabs_and_line_breaks_are_plain_text() -> None:
    consent = "We record your answers.\r\n\tYou may stop at any time.\n"
    update = OrganizationUpdate.model_validate({"settings": {"consent_text": consent}})
    assert update.settings is not None and update.settings.consent_text == consent


def test_machine_made_text_is_cleaned_rather_than_refused() -> None:
    assert without_control_characters("fi\x00ne\x07 text\twith\nlines\ud800") == "fine text\twith\nlines"


def _declined(at: str) -> StationInterviewUpdate:
    return StationInterviewUpdate.model_validate({"status": "declined", "declined_at": at})


@pytest.mark.parametrize(
    ("sent", "reason"),
    [
        ("2026-11-25T20:00:00", "timezone"),
        ("0001-01-01T00:00:00Z", "before the year 2000"),
        ("1999-12-31T23:59:59Z", "before the year 2000"),
        ((datetime.now(UTC) + timedelta(days=2)).isoformat(), "more than a day in the future"),
    ],
)
def test_implausible_station_times_are_refused(sent: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        _declined(sent)
    with pytest.raises(ValidationError, match=reason):
        StationInterviewUpdate.model_validate(
            {"status": "in_progress", "consent_version": "v1", "consent_given_at": sent}
        )


def test_plausible_station_times_are_kept_with_their_zone() -> None:
    assert _declined("2026-11-25T21:00:00+02:00").declined_at == datetime(2026, 11, 25, 19, tzinfo=UTC)
    slightly_ahead = datetime.now(UTC) + timedelta(hours=3)  # a station clock a little fast
    assert _declined(slightly_ahead.isoformat()).declined_at == slightly_ahead
