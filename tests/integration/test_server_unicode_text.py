"""Text people really write survives the plain-text rule both ways, on PostgreSQL and SQLite: emoji and
other characters beyond the BMP (a surrogate pair in JSON, one character in Python), CJK, right-to-left
scripts, tabs and Windows line breaks; only control characters are refused. And text stored before that
rule (a transcript holding a control character) still reads back."""

import pytest

from sync_server.models import Question, Response, Review
from tests.integration.test_server_access_matrix import World

# astral (emoji, a musical symbol, a CJK extension B ideograph), CJK, Arabic and Hebrew (RTL), tab, CRLF
REAL_TEXT = "Tell us 😀 about 𝄞 and 𠀋:\t日本語のテキスト\r\nمرحبا بالعالم — שלום"


@pytest.fixture
def world(server_client) -> World:
    return World(server_client)


def test_question_transcript_and_review_comment_round_trip_real_text(world: World) -> None:
    client, hr = world.client, world.a.hr.headers
    created = client.post(
        "/api/v1/question-sets",
        json={"name": REAL_TEXT[:40], "questions": [{"text": REAL_TEXT, "type": "behavioral"}]},
        headers=hr,
    )
    assert created.status_code == 201, created.text
    shown = client.get(f"/api/v1/question-sets/{created.json()['id']}", headers=hr)
    assert shown.status_code == 200, shown.text
    assert shown.json()["questions"][0]["text"] == REAL_TEXT

    transcript = {
        "text": REAL_TEXT,
        "language": "ja",
        "model": "tiny",
        "segments": [
            {"start": 0, "end": 1.5, "text": REAL_TEXT, "avg_logprob": -0.2, "no_speech_prob": 0.01}
        ],
    }
    stored = client.put(
        f"/api/v1/responses/{world.response_id}/transcript", json=transcript, headers=world.station.headers
    )
    assert stored.status_code == 200, stored.text
    read = client.get(f"/api/v1/responses/{world.response_id}/transcript", headers=hr)
    assert read.status_code == 200, read.text
    assert read.json()["text"] == REAL_TEXT and read.json()["segments"][0]["text"] == REAL_TEXT

    # The same text as JSON escapes (what many clients send): a surrogate pair is one character.
    escaped = '{"rating": 4, "comment": "ok \\ud83d\\ude00 \\u05e9\\u05dc\\u05d5\\u05dd\\r\\n\\t"}'
    saved = client.put(
        f"/api/v1/responses/{world.response_id}/review",
        content=escaped,
        headers={**hr, "Content-Type": "application/json"},
    )
    assert saved.status_code == 200, saved.text
    review = client.get(f"/api/v1/responses/{world.response_id}/review", headers=hr)
    assert review.status_code == 200 and review.json()["comment"] == "ok 😀 שלום\r\n\t"

    lone = client.put(
        f"/api/v1/responses/{world.response_id}/review",
        content='{"rating": 4, "comment": "half \\ud83d a pair"}',
        headers={**hr, "Content-Type": "application/json"},
    )
    assert lone.status_code == 422 and lone.json()["error"] == "ValidationError"  # a lone half: refused


def test_text_stored_with_a_control_character_before_the_rule_still_reads(world: World) -> None:
    """Stored before control characters were refused (PostgreSQL takes U+0007 in text and JSONB): a
    transcript, a review comment, a question read back with the character dropped, not a 500."""
    client, hr = world.client, world.a.hr.headers
    question_id = world.plan["questions"][0]["id"]
    with client.app.state.db.session() as session:
        response = session.get(Response, world.response_id)
        question = session.get(Question, question_id)
        assert response is not None and question is not None
        response.transcript = {"text": "older\u0007 text", "language": "en", "model": "tiny", "segments": []}
        question.text = "Older\u0007 question?"
        for review in session.query(Review).filter(Review.response_id == world.response_id):
            review.comment = "older\u0007 comment"
        session.commit()
    read = client.get(f"/api/v1/responses/{world.response_id}/transcript", headers=hr)
    assert read.status_code == 200, read.text
    assert read.json()["text"] == "older text"
    review = client.get(f"/api/v1/responses/{world.response_id}/review", headers=hr)
    assert review.status_code == 200 and review.json()["comment"] == "older comment"
    questions = client.get(f"/api/v1/question-sets/{world.plan_question_set_id}", headers=hr)
    assert questions.status_code == 200, questions.text
    assert questions.json()["questions"][0]["text"] == "Older question?"
