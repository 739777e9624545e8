import sqlite3

import pytest

from desktop_app.errors import PlanError
from desktop_app.session.journal import SessionJournal
from desktop_app.session.plan import limits_for, load_plan
from sync_server.contract import InterviewPlan


def test_at_most_one_kept_answer_per_question(tmp_path):
    journal = SessionJournal.open(tmp_path / "station.db")
    journal.begin_interview("iv", interview_id="iv", plan_sha256="x")
    for answer_id, attempt in (("a1", 1), ("a2", 2)):
        journal.start_attempt(
            "iv",
            answer_id=answer_id,
            question_id="q1",
            question_index=0,
            attempt=attempt,
            media_path=tmp_path / "m",
        )
    journal.keep_attempt("a1")
    with pytest.raises(sqlite3.IntegrityError):
        journal.keep_attempt("a2")
    assert journal.attempts_used("iv", 0) == 1  # 'recording' attempts are not counted


def test_begin_interview_returns_the_existing_journal(tmp_path):
    path = tmp_path / "station.db"
    SessionJournal.open(path).begin_interview("iv", interview_id="iv", plan_sha256="x")
    journal = SessionJournal.open(path)
    journal.skip_question("iv", next_question_index=2)
    again = journal.begin_interview("iv", interview_id="iv", plan_sha256="x")
    assert again.question_index == 2


def test_accommodations_stretch_times_and_add_attempts():
    plan = InterviewPlan.model_validate(
        {
            "accommodations": {"time_multiplier": 1.5, "extra_attempts": 1},
            "questions": [
                {"id": "q", "text": "t", "think_seconds": 10, "answer_seconds": 60, "max_attempts": 2}
            ],
        }
    )
    limits = limits_for(plan, plan.questions[0])
    assert (limits.think_seconds, limits.answer_seconds, limits.attempts_allowed) == (15, 90, 3)


def test_plan_with_only_questions_loads_and_duplicates_are_refused(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text('{"questions": [{"id": "q1", "text": "Why?"}]}')
    assert load_plan(path).interview_id == "local"
    path.write_text('{"questions": [{"id": "q1", "text": "Why?"}, {"id": "q1", "text": "How?"}]}')
    with pytest.raises(PlanError, match="twice"):
        load_plan(path)


def test_unfinished_interviews_come_back_with_their_plan(tmp_path):
    plan = InterviewPlan.model_validate({"interview_id": "iv-9", "questions": [{"id": "q1", "text": "Why?"}]})
    journal = SessionJournal.open(tmp_path / "station.db")
    journal.begin_interview("iv-9", interview_id="iv-9", plan_sha256="x", plan=plan)
    journal.begin_interview("done", interview_id="done", plan_sha256="y", plan=plan)
    journal.set_status("done", "finished")
    assert SessionJournal.open(tmp_path / "station.db").unfinished() == [("iv-9", plan)]


def test_the_kiosk_state_survives_reopening_and_merges_values(tmp_path):
    journal = SessionJournal.open(tmp_path / "station.db")
    journal.begin_interview("iv", interview_id="iv", plan_sha256="x")
    assert journal.kiosk_state("iv") == {}
    journal.update_kiosk_state("iv", high_contrast=True, large_text=False)
    journal.update_kiosk_state("iv", device_check_passed=True)
    journal.close()
    reopened = SessionJournal.open(tmp_path / "station.db")  # as after a power cut
    assert reopened.kiosk_state("iv") == {
        "high_contrast": True,
        "large_text": False,
        "device_check_passed": True,
    }
    with pytest.raises(KeyError):
        reopened.update_kiosk_state("never-begun", large_text=True)


def test_answers_not_yet_queued_counts_only_running_interviews_and_never_the_practice(tmp_path):
    journal = SessionJournal.open(tmp_path / "station.db")
    for key in ("iv", "practice:iv", "done"):
        journal.begin_interview(key, interview_id=key, plan_sha256="x")
    for number, (key, status) in enumerate(
        [
            ("iv", "recording"),
            ("iv", "recorded"),
            ("iv", "delivered"),
            ("practice:iv", "recorded"),
            ("done", "kept"),
        ]
    ):
        answer_id = f"a{number}"
        journal.start_attempt(
            key, answer_id=answer_id, question_id=f"q{number}", question_index=number, attempt=1,
            media_path=tmp_path / f"{answer_id}.mp4",
        )  # fmt: skip
        journal.set_attempt_status(answer_id, status)
    journal.set_status("done", "finished")
    assert journal.answers_not_yet_queued() == 2  # iv's recording and recorded answers


def test_a_late_transcript_reaches_kept_answers_only(tmp_path):
    from sync_server.contract import Transcript

    journal = SessionJournal.open(tmp_path / "station.db")
    journal.begin_interview("iv", interview_id="iv", plan_sha256="x")
    for answer_id, status in (("kept", "kept"), ("thrown", "discarded")):
        journal.start_attempt(
            "iv", answer_id=answer_id, question_id=answer_id, question_index=0, attempt=1,
            media_path=tmp_path / f"{answer_id}.mp4",
        )  # fmt: skip
        journal.set_attempt_status(answer_id, status)
    transcript = Transcript(text="hello there", language="en", model="tiny.en", segments=[])
    kept = journal.attempt_transcribed("kept", transcript)
    thrown = journal.attempt_transcribed("thrown", transcript)
    assert kept is not None and kept.transcript is not None and kept.transcript.text == "hello there"
    assert thrown is not None and thrown.transcript is None
