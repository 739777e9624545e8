"""The kiosk's record of the interview in progress: survives a restart, refuses to be half-read."""

import pytest

from desktop_app.store.active_interview import ActiveInterview, ActiveInterviewFile
from desktop_app.store.database import StoreError
from sync_server.contract import InterviewPlan

PLAN = InterviewPlan.model_validate({"interview_id": "i-1", "questions": [{"id": "q1", "text": "Why?"}]})


def test_round_trip_and_clear(tmp_path):
    store = ActiveInterviewFile(tmp_path / "kiosk" / "active.json")
    assert store.load() is None
    store.save(ActiveInterview(PLAN, people_only=True))
    loaded = store.load()
    assert loaded == ActiveInterview(PLAN, people_only=True)
    assert not list((tmp_path / "kiosk").glob("*.tmp"))
    store.clear()
    assert store.load() is None
    store.clear()  # twice is fine


def test_a_damaged_file_is_reported_not_ignored(tmp_path):
    path = tmp_path / "active.json"
    path.write_text('{"plan": {"questions": []}}')
    with pytest.raises(StoreError, match="cannot be read"):
        ActiveInterviewFile(path).load()
