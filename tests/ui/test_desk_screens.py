"""The review desk's screens against a real server with seeded data: each main path and its error path."""

import pytest

from desktop_app.desk.api import DeskApi
from sync_server.contract import InviteCreate, JobCreate, QuestionIn, QuestionSetCreate
from tests.support.desk_seed import seed_org
from tests.support.live_server import live_server
from ui.qt import QApplication
from ui.review.window import DeskWindow
from ui.style import stylesheet
from ui.tasks import pending_tasks

CV_TEXT = (
    "Ada Lovelace\nSkills: Python, PostgreSQL, distributed systems, testing.\nExperience: 6 years backend.\n"
)


@pytest.fixture(scope="module")
def org(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("desk-ui-server")) as running:
        seeded = seed_org(running)
        api, _ = DeskApi.sign_in(running.url, seeded.hr_email, seeded.password)
        questions = api.create_question_set(
            QuestionSetCreate(
                name="Backend first round",
                questions=[
                    QuestionIn(
                        text="Tell us about a hard bug you fixed.",
                        key_points=["evidence", "fix", "prevention"],
                    ),
                    QuestionIn(text="How do you keep a system working offline?", type="technical"),
                ],
            )
        )
        job = api.create_job(
            JobCreate(
                title="Backend engineer", description="Builds the sync server.", question_set_id=questions.id
            )
        )
        for name in ("Grace Hopper", "Alan Turing"):
            candidate = api.add_candidate(full_name=name, email=None, job_id=job.id, cv=None)
            api.invite(InviteCreate(candidate_id=candidate.id))
        api.sign_out()
        yield seeded


def wait_idle(qtbot) -> None:
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=15000)


def sign_in(qtbot, org, *, email: str | None = None, mode: str = "review") -> DeskWindow:
    app = QApplication.instance()
    app.setStyleSheet(stylesheet())
    window = DeskWindow(mode=mode, server_url=org.server.url, email=email or org.hr_email)
    qtbot.addWidget(window)
    window.show()
    window.sign_in.password.setText(org.password)
    window.sign_in.sign_in_button.click()
    qtbot.waitUntil(lambda: window.api is not None, timeout=15000)
    wait_idle(qtbot)
    return window


def test_sign_in_with_a_wrong_password_stays_on_the_form_with_one_sentence(qtbot, org):
    window = DeskWindow(server_url=org.server.url, email=org.hr_email)
    qtbot.addWidget(window)
    window.sign_in.password.setText("wrong password")
    window.sign_in.submit()
    qtbot.waitUntil(lambda: window.sign_in.error_label.text() != "", timeout=15000)
    assert window.api is None
    assert window.stack.currentWidget() is window.sign_in
    assert "\n" not in window.sign_in.error_label.text()


def test_sign_in_to_an_unreachable_server_names_it(qtbot, free_port):
    window = DeskWindow(server_url=f"127.0.0.1:{free_port}", email="hr@x.example")
    qtbot.addWidget(window)
    window.sign_in.password.setText("whatever-password")
    window.sign_in.submit()
    qtbot.waitUntil(lambda: window.sign_in.error_label.text() != "", timeout=15000)
    assert f"Can't reach the server at http://127.0.0.1:{free_port}." in window.sign_in.error_label.text()


def test_hr_menus_have_no_admin_and_the_pipeline_counts_invites(qtbot, org):
    window = sign_in(qtbot, org)
    assert not window.admin_menu.menuAction().isVisible()
    assert set(window.pages) == {"pipeline", "jobs", "candidates", "review", "compare", "search"}
    pipeline = window.pages["pipeline"]
    wait_idle(qtbot)
    assert not pipeline.error_banner.isVisible(), pipeline.error_banner.message.text()
    qtbot.waitUntil(lambda: pipeline.pipeline is not None, timeout=15000)
    assert pipeline.job_picker.currentText() == "Backend engineer"
    assert pipeline.stage_cards["invited"].count.text() == "2"
    assert {row.candidate_name for row in pipeline.table.records.rows} == {"Grace Hopper", "Alan Turing"}


def test_create_and_edit_a_job(qtbot, org):
    window = sign_in(qtbot, org)
    jobs = window.show_page("jobs")
    wait_idle(qtbot)
    jobs.start_new()
    jobs.save()
    assert jobs.form_error.text() == "A job needs a title."
    jobs.title_field.setText("Data analyst")
    jobs.requirements.setPlainText("SQL\nStatistics")
    jobs.save()
    wait_idle(qtbot)
    assert any(j.title == "Data analyst" for j in jobs.table.records.rows)
    assert jobs.editing is not None and jobs.editing.title == "Data analyst"
    jobs.title_field.setText("Senior data analyst")
    jobs.save()
    wait_idle(qtbot)
    assert any(j.title == "Senior data analyst" for j in jobs.table.records.rows)


def test_write_a_question_set_by_hand_and_from_the_bank(qtbot, org):
    window = sign_in(qtbot, org)
    jobs = window.show_page("jobs")
    wait_idle(qtbot)
    jobs.start_new()
    jobs.title_field.setText("Support lead")
    jobs.open_question_editor()
    editor = jobs.editor
    assert editor is not None
    editor.save()
    assert editor.error_label.text() == "Add at least one question."
    editor.add_question(QuestionIn(text="Placeholder"))
    editor.text.setPlainText("How do you calm an angry customer?")
    editor.key_points.setPlainText("listens\nowns the next step")
    editor.answer.setValue(90)
    editor.bank.setCurrentIndex(1)
    editor._add_from_bank(1)
    assert len(editor.questions) == 2
    editor.save()
    qtbot.waitUntil(lambda: editor.question_set_id is not None, timeout=15000)
    wait_idle(qtbot)
    assert "Support lead questions" in jobs.question_set.currentText()
    jobs.save()
    wait_idle(qtbot)
    api = window.api
    saved = api.question_set(jobs.editing.question_set_id)
    assert saved.questions[0].text == "How do you calm an angry customer?"
    assert saved.questions[0].key_points == ["listens", "owns the next step"]
    assert saved.questions[0].answer_seconds == 90


def test_add_a_candidate_with_a_cv_and_invite_them_showing_the_code_once(qtbot, org, tmp_path):
    window = sign_in(qtbot, org)
    page = window.show_page("candidates")
    wait_idle(qtbot)
    cv = tmp_path / "ada.txt"
    cv.write_text(CV_TEXT)
    page.open_add_dialog()
    dialog = page.add_dialog
    dialog.submit()
    assert dialog.error_label.text() == "Enter the candidate's name."
    dialog.full_name.setText("Ada Lovelace")
    dialog.email.setText("ada@example.org")
    dialog.job.setCurrentIndex(dialog.job.findText("Backend engineer"))
    bad = tmp_path / "cv.exe"
    bad.write_bytes(b"MZ")
    dialog.cv_path.setText(str(bad))
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=15000)
    assert "not a PDF, Word (.docx) or text file" in dialog.error_label.text()
    dialog.cv_path.setText(str(cv))
    dialog.submit()
    qtbot.waitUntil(
        lambda: page.table.selected() is not None and page.table.selected().full_name == "Ada Lovelace",
        timeout=15000,
    )
    assert "ada.txt" in page.detail.facts.text()

    page.open_invite_dialog()
    invite = page.invite_dialog
    invite.time_multiplier.setValue(1.5)
    invite.large_text.setChecked(True)
    invite.submit()
    qtbot.waitUntil(lambda: invite.created is not None, timeout=15000)
    code = invite.created.access_code
    assert invite.code_label.text() == code
    invite.copy_code()
    assert QApplication.clipboard().text() == code
    assert code in invite.sheet().toPlainText()
    interviews = window.api.interviews(candidate_id=invite.created.candidate_id)
    assert interviews[0].accommodations.time_multiplier == 1.5
    assert interviews[0].accommodations.large_text is True


def test_admin_sees_admin_screens_adds_and_deactivates_a_user(qtbot, org):
    window = sign_in(qtbot, org, email=org.admin_email, mode="admin")
    assert window.admin_menu.menuAction().isVisible()
    users = window.pages["users"]
    assert window.page_stack.currentWidget() is users
    wait_idle(qtbot)
    assert {u.email for u in users.table.records.rows} >= {org.admin_email, org.hr_email}
    users.email.setText("new-hr@acme.example")
    users.password.setText("short")
    users.add_user()
    assert "at least 8 characters" in users.form_error.text()
    users.generate_button.click()
    users.add_user()
    wait_idle(qtbot)
    assert any(u.email == "new-hr@acme.example" for u in users.table.records.rows)
    users.email.setText("new-hr@acme.example")
    users.generate_button.click()
    users.add_user()
    qtbot.waitUntil(
        lambda: "already" in users.form_error.text().lower() or "exists" in users.form_error.text().lower(),
        timeout=15000,
    )
    assert users.table.select_where(lambda u: u.email == "new-hr@acme.example")
    users.toggle_active()
    wait_idle(qtbot)
    assert next(u for u in users.table.records.rows if u.email == "new-hr@acme.example").is_active is False


def test_admin_enrolls_and_revokes_a_station(qtbot, org):
    window = sign_in(qtbot, org, email=org.admin_email, mode="admin")
    stations = window.show_page("stations")
    wait_idle(qtbot)
    stations.create_code()
    assert "name" in stations.form_error.text()
    stations.station_name.setText("Lobby kiosk")
    stations.create_code()
    wait_idle(qtbot)
    assert stations.code is not None and stations.code_label.text() == stations.code.enrollment_code
    import httpx

    enrolled = httpx.post(
        f"{org.server.url}/api/v1/stations/enroll", json={"enrollment_code": stations.code.enrollment_code}
    )
    assert enrolled.status_code in (200, 201), enrolled.text
    stations.refresh()
    wait_idle(qtbot)
    assert stations.table.select_where(lambda s: s.name == "Lobby kiosk")
    waiting_column = [c.header for c in stations.table.records.columns].index("Answers waiting")
    row = stations.table.selectionModel().selectedRows()[0].row()
    assert stations.table.records.index(row, waiting_column).data() == "—"  # not reported yet
    beat = httpx.post(
        f"{org.server.url}/api/v1/station/heartbeat",
        json={"pending_uploads": 3},
        headers={"Authorization": f"Bearer {enrolled.json()['credential']}"},
    )
    assert beat.status_code == 200, beat.text
    stations.refresh()
    wait_idle(qtbot)
    assert stations.table.select_where(lambda s: s.name == "Lobby kiosk")
    row = stations.table.selectionModel().selectedRows()[0].row()
    assert stations.table.records.index(row, waiting_column).data() == "3"
    stations.revoke()
    wait_idle(qtbot)
    assert next(s for s in stations.table.records.rows if s.name == "Lobby kiosk").revoked_at is not None


def test_admin_settings_and_audit_log(qtbot, org):
    window = sign_in(qtbot, org, email=org.admin_email, mode="admin")
    settings = window.show_page("settings")
    wait_idle(qtbot)
    settings.consent_text.setPlainText("We record this interview.")
    settings.consent_version.setText("")
    settings.save()
    assert "version" in settings.form_error.text()
    settings.consent_version.setText("2026-11")
    settings.retention_on.setChecked(True)
    settings.retention_days.setValue(90)
    settings.save()
    wait_idle(qtbot)
    assert settings.form_error.text() == "Saved."
    organization = window.api.organization()
    assert organization.settings.retention_days == 90
    assert organization.settings.consent_text == "We record this interview."
    audit = window.show_page("audit")
    wait_idle(qtbot)
    actions = {e.action for e in audit.table.records.rows}
    assert actions, "the audit log shows what happened"
    audit.table.selectRow(0)
    assert '"action"' in audit.details.toPlainText()


def test_a_page_error_is_one_sentence_with_retry_and_a_revoked_session_returns_to_sign_in(qtbot, org):
    window = sign_in(qtbot, org)
    jobs = window.show_page("jobs")
    wait_idle(qtbot)
    relay = window.relay
    # the server goes away under the page: the page says so and offers Retry
    real_url = window.api.client._http.base_url
    window.api.client._http.base_url = "http://127.0.0.1:9"
    jobs.refresh()
    wait_idle(qtbot)
    assert jobs.error_banner.isVisible()
    assert jobs.error_banner.message.text().startswith("Can't reach the server")
    window.api.client._http.base_url = real_url
    jobs.error_banner.retry_button.click()
    wait_idle(qtbot)
    assert not jobs.error_banner.isVisible()
    # the session is revoked (signed out elsewhere): the next call lands on the sign-in screen
    window.api.client.sign_out()
    assert relay is not None
    cache = window.media_cache
    assert cache is not None
    cache.folder.mkdir(parents=True, exist_ok=True)
    (cache.folder / "an-answer.media").write_bytes(b"a candidate's recording")
    jobs.refresh()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sign_in, timeout=15000)
    assert window.sign_in.error_label.text()
    assert not cache.folder.exists(), "signing out leaves no recordings behind on the desk"


def test_hr_erases_a_candidate_only_after_typing_why(qtbot, org):
    window = sign_in(qtbot, org)
    page = window.show_page("candidates")
    wait_idle(qtbot)
    assert page.table.select_where(lambda c: c.full_name == "Alan Turing")
    assert page.detail.erase_button.isEnabled()
    page.detail.erase_button.click()
    dialog = page.erase_dialog
    assert dialog is not None and dialog.isVisible() and "Alan Turing" in dialog.windowTitle()
    dialog.erase_button.click()
    assert dialog.error_label.text() == "Type why this candidate's data is erased."
    dialog.reason.setText("   ")
    dialog.erase_button.click()
    assert dialog.error_label.text() == "Type why this candidate's data is erased."
    # The server is away: one sentence, the dialog stays open to try again.
    real_url = window.api.client._http.base_url
    window.api.client._http.base_url = "http://127.0.0.1:9"
    dialog.reason.setText("The candidate asked us to delete their data")
    dialog.erase_button.click()
    qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=15000)
    assert dialog.error_label.text().startswith("Can't reach the server")
    assert "\n" not in dialog.error_label.text() and dialog.isVisible()
    window.api.client._http.base_url = real_url
    dialog.erase_button.click()
    qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=15000)
    assert not dialog.isVisible()
    wait_idle(qtbot)
    assert all(c.full_name != "Alan Turing" for c in page.table.records.rows)
    assert page.detail.name.text() == "No candidate selected"
    assert all(c.full_name != "Alan Turing" for c in window.api.candidates())
