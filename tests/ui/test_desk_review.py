"""Reviewing recorded interviews on a real server: answers uploaded by a real station (tus), streamed to the
desk's player through the loopback relay (frames counted through the QVideoSink), compared side by side,
exported as a report and a CSV, and saved as a file with progress."""

import csv
import time
from pathlib import Path

import pytest

from desktop_app.desk.api import DeskApi
from desktop_app.desk.views import Decision
from sync_server.contract import EnrollmentCodeCreate, InviteCreate, JobCreate, QuestionIn, QuestionSetCreate
from tests.support.desk_seed import seed_org
from tests.support.desk_world import RecordedAnswer, decline_interview, record_interview, words_transcript
from tests.support.live_server import live_server
from tests.support.media import write_test_video
from ui.qt import Qt
from ui.review.window import DeskWindow
from ui.tasks import pending_tasks
from ui.widgets.score_panel import PEOPLE_ONLY_TEXT

ANSWERS = [
    "Last spring our checkout failed for some users. I compared the logs of the two data centres and "
    "bisected the release. The cause was a race in the cache warmup, so I fixed it with a lock and added "
    "a regression test that fails without the lock.",
    "Keep a durable local queue on disk. Retry with exponential backoff and make every upload idempotent, "
    "so that a repeated delivery changes nothing.",
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("desk-review")
    with live_server(root / "server") as server:
        org = seed_org(server)
        admin, _ = DeskApi.sign_in(server.url, org.admin_email, org.password)
        questions = admin.create_question_set(
            QuestionSetCreate(
                name="Round one",
                questions=[
                    QuestionIn(text="Tell us about a hard bug.", key_points=["evidence"]),
                    QuestionIn(text="Offline?"),
                ],
            )
        )
        job = admin.create_job(JobCreate(title="Backend engineer", question_set_id=questions.id))
        videos = [write_test_video(root / f"a{i}.mp4", seconds=12, width=320, height=240) for i in range(2)]
        for number, name in enumerate(("Grace Hopper", "Alan Turing")):
            candidate = admin.add_candidate(
                full_name=name, email=f"{name.split()[0].lower()}@example.org", job_id=job.id, cv=None
            )
            invite = admin.invite(InviteCreate(candidate_id=candidate.id))
            code = admin.enrollment_code(EnrollmentCodeCreate(station_name=f"Kiosk {number}"))
            record_interview(
                server_url=server.url,
                enrollment_code=code.enrollment_code,
                access_code=invite.access_code,
                answers=[
                    RecordedAnswer(v, words_transcript(text), 12.0)
                    for v, text in zip(videos, ANSWERS, strict=True)
                ],
                workdir=root / f"station-{number}",
            )
        waiting = admin.add_candidate(full_name="Katherine Johnson", email=None, job_id=job.id, cv=None)
        admin.invite(InviteCreate(candidate_id=waiting.id))
        # the server scores each answer in the background once its transcript arrives (the local scorer)
        responses = [
            r.id
            for i in admin.interviews(job_id=job.id)
            if i.status == "completed"
            for r in admin.interview(i.id).responses
        ]
        deadline = time.monotonic() + 120
        while not all(admin.score(r) for r in responses) and time.monotonic() < deadline:
            time.sleep(0.5)
        admin.sign_out()
        yield org, videos


@pytest.fixture(scope="module")
def consent_outcomes(world, tmp_path_factory):
    """Another job: one candidate answered but asked for people only, one declined at the station."""
    org, videos = world
    root = tmp_path_factory.mktemp("consent-outcomes")
    admin, _ = DeskApi.sign_in(org.server.url, org.admin_email, org.password)
    questions = admin.create_question_set(
        QuestionSetCreate(name="Round two", questions=[QuestionIn(text="Why this team?")])
    )
    job = admin.create_job(JobCreate(title="Data engineer", question_set_id=questions.id))
    interviews = {}
    for number, name in enumerate(("Ada Lovelace", "Edsger Dijkstra")):
        candidate = admin.add_candidate(full_name=name, email=None, job_id=job.id, cv=None)
        invite = admin.invite(InviteCreate(candidate_id=candidate.id))
        code = admin.enrollment_code(EnrollmentCodeCreate(station_name=f"Consent kiosk {number}"))
        station = {
            "server_url": org.server.url,
            "enrollment_code": code.enrollment_code,
            "access_code": invite.access_code,
            "workdir": root / f"station-{number}",
        }
        if number == 0:
            answer = RecordedAnswer(videos[0], words_transcript(ANSWERS[0]), 12.0)
            interviews[name] = record_interview(**station, answers=[answer], people_only=True)
        else:
            interviews[name] = decline_interview(**station)
    admin.sign_out()
    return job.id, interviews


def wait_idle(qtbot) -> None:
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=20000)


@pytest.fixture
def window(qtbot, world):
    org, _ = world
    window = DeskWindow(server_url=org.server.url, email=org.hr_email)
    qtbot.addWidget(window)
    window.show()
    window.sign_in.password.setText(org.password)
    window.sign_in.submit()
    qtbot.waitUntil(lambda: window.api is not None, timeout=15000)
    wait_idle(qtbot)
    yield window
    window.close()


def open_review(qtbot, window, name: str):
    pipeline = window.pages["pipeline"]
    qtbot.waitUntil(lambda: pipeline.pipeline is not None, timeout=15000)
    assert pipeline.table.select_where(lambda r: r.candidate_name == name)
    pipeline.review_button.click()
    review = window.pages["review"]
    assert window.page_stack.currentWidget() is review
    qtbot.waitUntil(lambda: review.loaded is not None and review.current is not None, timeout=20000)
    wait_idle(qtbot)
    return review


def test_pipeline_counts_stages_and_exports_the_job_csv(qtbot, window, tmp_path):
    pipeline = window.pages["pipeline"]
    qtbot.waitUntil(lambda: pipeline.pipeline is not None, timeout=15000)
    wait_idle(qtbot)  # match and interview scores arrive after the stages
    assert pipeline.stage_cards["scored"].count.text() == "2"
    assert pipeline.stage_cards["invited"].count.text() == "1"
    pipeline.export_csv(tmp_path / "job.csv")
    wait_idle(qtbot)
    with (tmp_path / "job.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted((r["candidate"], r["status"]) for r in rows) == [
        ("Alan Turing", "scored"),
        ("Grace Hopper", "scored"),
        ("Katherine Johnson", "invited"),
    ]
    assert all(float(r["interview_score"]) >= 1 for r in rows if r["status"] == "scored")


def test_review_streams_the_answer_and_the_player_receives_frames(qtbot, window):
    review = open_review(qtbot, window, "Grace Hopper")
    assert review.answers.count() == 2
    assert review.answers.item(0).text().startswith("1. Tell us about a hard bug.")
    assert review.key_points.text() == "Key points: evidence"
    review.player.audio.setMuted(True)
    review.player.play()
    qtbot.waitUntil(lambda: review.player.frames_shown >= 30, timeout=20000)
    review.player.seek(2000)
    qtbot.waitUntil(lambda: review.player.position >= 2000, timeout=10000)
    review.answers.setCurrentRow(1)
    wait_idle(qtbot)
    assert review.question_label.text() == "Offline?"
    review.player.play()
    qtbot.waitUntil(lambda: review.player.frames_shown >= 10, timeout=20000)


def test_rate_override_with_a_reason_and_shortlist_then_the_pipeline_shows_it(qtbot, window):
    review = open_review(qtbot, window, "Alan Turing")
    form = review.review_form
    assert form.isEnabled()
    form.rating_group.button(4).setChecked(True)
    form.comment.setPlainText("Clear and concrete.")
    form.override.setChecked(True)
    form.override_score.setValue(4.5)
    form.submit()
    assert form.error_label.text().startswith("Overriding the AI score needs a reason.")
    form.override_reason.setText("The AI missed the regression test he described.")
    form.decision.setCurrentIndex(form.decision.findData(Decision.shortlist))
    form.decision_note.setText("Invite to the on-site round")
    form.submit()
    qtbot.waitUntil(lambda: form.saved_label.text() == "Saved.", timeout=15000)
    # what the server stored comes back when the answer is opened again
    review.answers.setCurrentRow(1)
    wait_idle(qtbot)
    review.answers.setCurrentRow(0)
    wait_idle(qtbot)
    stored = form.draft()
    assert (stored.rating, stored.comment, stored.override_score) == (4, "Clear and concrete.", 4.5)
    assert stored.override_reason == "The AI missed the regression test he described."
    assert stored.decision == Decision.shortlist
    pipeline = window.show_page("pipeline")
    wait_idle(qtbot)
    row = next(r for r in pipeline.table.records.rows if r.candidate_name == "Alan Turing")
    assert (row.stage, row.rating, row.decision) == ("shortlisted", 4.0, "shortlist")
    assert pipeline.stage_cards["shortlisted"].count.text() == "1"


def test_export_the_candidate_report_as_pdf_and_html(qtbot, window, tmp_path):
    review = open_review(qtbot, window, "Grace Hopper")
    with qtbot.waitSignal(review.report_written, timeout=20000):
        review.export_report(tmp_path / "out" / "grace.pdf")
    pdf = tmp_path / "out" / "grace.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
    with qtbot.waitSignal(review.report_written, timeout=20000):
        review.export_report(tmp_path / "out" / "grace.html")
    page = (tmp_path / "out" / "grace.html").read_text()
    assert "Grace Hopper" in page and "Backend engineer" in page and "Tell us about a hard bug." in page
    assert "AI score:</b> " in page and "Evidence" in page and "AI summary:" in page
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["grace.html", "grace.pdf"]


def test_save_video_downloads_with_progress(qtbot, window, world, tmp_path):
    _, videos = world
    review = open_review(qtbot, window, "Grace Hopper")
    seen: list[int] = []
    review.progress.valueChanged.connect(seen.append)
    review.save_video(tmp_path / "answer.mp4")
    wait_idle(qtbot)
    assert (tmp_path / "answer.mp4").read_bytes() == Path(videos[0]).read_bytes()
    assert "Video saved" in review.progress_label.text()
    assert seen and seen[-1] == (tmp_path / "answer.mp4").stat().st_size


def test_compare_two_candidates_on_the_same_question(qtbot, window):
    compare = window.show_page("compare")
    wait_idle(qtbot)
    compare.compare()
    assert "at least two" in compare.error_banner.message.text()
    for row in range(compare.candidate_list.count()):
        compare.candidate_list.item(row).setCheckState(Qt.CheckState.Checked)
    compare.question_picker.setCurrentIndex(1)
    compare.compare()
    wait_idle(qtbot)
    by_name = {c.name_label.text(): c for c in compare.columns}
    assert sorted(by_name) == ["Alan Turing", "Grace Hopper"]  # Katherine is invited but has not answered
    answered = [by_name["Alan Turing"], by_name["Grace Hopper"]]
    for column in answered:
        column.player.audio.setMuted(True)
        column.player.play()
    qtbot.waitUntil(lambda: all(c.player.frames_shown >= 10 for c in answered), timeout=20000)


def test_a_video_that_cannot_be_fetched_says_so(qtbot, window):
    review = open_review(qtbot, window, "Alan Turing")
    with qtbot.waitSignal(review.player.failed, timeout=20000) as failure:
        review.player.open(review.relay.url_for("no-such-answer"), autoplay=True)
    assert failure.args[0].endswith(".")
    assert review.player.frames_shown == 0


def test_ai_score_with_evidence_and_a_click_on_a_quote_seeks_the_video(qtbot, window):
    review = open_review(qtbot, window, "Grace Hopper")
    panel = review.score_panel
    assert panel.headline.text().startswith("AI score ") and panel.headline.text().endswith(" / 5")
    assert panel.source.text().startswith("Scored by local")
    assert panel.evidence_buttons, "each criterion quotes the transcript"
    review.player.audio.setMuted(True)
    review.player.pause()
    qtbot.waitUntil(lambda: review.player.player.duration() > 0, timeout=15000)
    last = max(panel.evidence_buttons, key=lambda quote: quote.start_ms or 0)
    assert last.start_ms is not None and last.start_ms > 0, "a quote from later in the answer"
    qtbot.mouseClick(last, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.player.position >= last.start_ms, timeout=10000)
    assert review.player.position < last.start_ms + 2000


def test_a_people_only_interview_shows_no_ai_score_and_a_declined_one_its_stage(
    qtbot, consent_outcomes, window, tmp_path
):
    job_id, _ = consent_outcomes
    pipeline = window.pages["pipeline"]
    qtbot.waitUntil(lambda: pipeline.pipeline is not None, timeout=15000)
    pipeline.show_job(job_id)
    wait_idle(qtbot)
    assert pipeline.stage_cards["declined"].count.text() == "1"
    assert pipeline.stage_cards["completed"].count.text() == "1"
    stages = {r.candidate_name: r.stage for r in pipeline.table.records.rows}
    assert stages == {"Ada Lovelace": "completed", "Edsger Dijkstra": "declined"}

    review = open_review(qtbot, window, "Ada Lovelace")
    panel = review.score_panel
    assert panel.headline.text() == PEOPLE_ONLY_TEXT
    assert not panel.evidence_buttons and not panel.rescore_button.isEnabled()
    assert "people only" in review.interview_picker.currentText()
    assert review.transcript.isEnabled() and review.review_form.isEnabled()  # people still review it
    with qtbot.waitSignal(review.report_written, timeout=20000):
        review.export_report(tmp_path / "ada.html")
    page = (tmp_path / "ada.html").read_text()
    assert "evaluated by people only" in page and "AI score:" not in page and "AI summary:" not in page


def test_search_what_candidates_said_and_watch_the_answer_from_that_moment(qtbot, window):
    search = window.show_page("search")
    wait_idle(qtbot)
    assert search.query.isEnabled()
    search.job.setCurrentIndex(search.job.findText("Backend engineer"))  # other jobs' answers say it too
    search.query.setText("Bisected releases")
    qtbot.keyClick(search.query, Qt.Key.Key_Return)
    wait_idle(qtbot)
    rows = search.said.records.rows
    assert sorted(r.hit.candidate_name for r in rows) == ["Alan Turing", "Grace Hopper"]
    assert all(
        "«bisected» the «release»" in r.said and r.question == "Tell us about a hard bug." for r in rows
    )
    assert search.text_note.text().startswith("2 answers mention “Bisected releases”")
    seconds = ANSWERS[0].split().index("bisected") * 0.3  # words_transcript: a word every 0.3 s
    assert 1 < seconds < 10, "a moment well inside the 12 s video"
    assert all(r.hit.start_seconds == pytest.approx(seconds) for r in rows)

    assert search.said.select_where(lambda r: r.hit.candidate_name == "Grace Hopper")
    hit = search.said.selected().hit
    cell = search.said.visualRect(search.said.currentIndex()).center()
    qtbot.mouseClick(search.said.viewport(), Qt.MouseButton.LeftButton, pos=cell)  # a view needs the press
    qtbot.mouseDClick(search.said.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    review = window.pages["review"]
    assert window.page_stack.currentWidget() is review
    qtbot.waitUntil(
        lambda: review.current is not None and review.current.response.id == hit.response_id, timeout=20000
    )
    review.player.audio.setMuted(True)
    qtbot.waitUntil(lambda: review.player.position >= seconds * 1000 - 50, timeout=15000)
    assert review.player.position < seconds * 1000 + 2000
    assert review.heading.text().endswith("Grace Hopper") and review.answers.currentRow() == 0

    search = window.show_page("search")
    wait_idle(qtbot)
    search.query.setText("blockchain")
    search.search_button.click()
    wait_idle(qtbot)
    assert search.said.records.rows == [] and "No answer in this job mentions" in search.text_note.text()
    search.query.setText("?!")
    search.search_button.click()
    wait_idle(qtbot)
    sentence = search.error_banner.message.text()
    assert "word or number" in sentence and "Traceback" not in sentence


def test_no_similar_cv_is_a_quiet_note_in_the_card_not_an_error(qtbot, window):
    search = window.show_page("search")
    wait_idle(qtbot)
    search._show_similar([])
    assert search.like_note.text() == "No other candidate's CV is close to this one yet."
    assert not search.error_banner.isVisible()
