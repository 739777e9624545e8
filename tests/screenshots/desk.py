"""Screenshots of every review-desk screen on a real X server (Xvfb) against a real, seeded server.

    python -m tests.screenshots.desk                 # Xvfb :98, writes screenshots/desk-*.png
    python -m tests.screenshots.desk --out DIR --display :97

Starts Xvfb itself (1600x1000), a sync server on an embedded SQLite in a temporary folder, seeds it the
way an organization starts (CLI for the org and users, the API for jobs, questions, candidates and
invites, a station for the recorded answers), opens the desk with the xcb platform and captures the X
root window with ImageMagick's `import` after each screen has loaded.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WIDTH, HEIGHT = 1600, 1000

CV = """Grace Hopper
Summary: backend engineer, 7 years with Python and PostgreSQL; builds offline-first sync services.
Skills: Python, FastAPI, PostgreSQL, Redis, distributed systems, testing, mentoring.
Experience: Senior engineer at Harbor Systems (2021-2026): led the move to resumable uploads.
"""

ANSWERS = [
    "I once chased a bug that only happened in production. I compared the logs between the two "
    "environments, bisected the release, and found a race in the cache warmup. I fixed it with a lock "
    "and added a test so it cannot come back.",
    "Keep a durable local queue, retry with backoff, and make every operation idempotent so a repeat "
    "delivery changes nothing. Uploads should resume where they stopped.",
]


def start_xvfb(display: str) -> subprocess.Popen[bytes]:
    if shutil.which("Xvfb") is None or shutil.which("import") is None:
        sys.exit("Xvfb and ImageMagick are needed: sudo apt-get install xvfb imagemagick")
    proc = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{display.lstrip(':')}").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"Xvfb did not start on {display} (is another X server using it?)")
        time.sleep(0.05)
    return proc


def seed(server, workdir: Path):  # type: ignore[no-untyped-def]
    """An organization with two jobs, question sets, candidates, invites and one recorded interview."""
    from desktop_app.desk.api import DeskApi
    from sync_server.contract import InviteCreate, JobCreate, QuestionIn, QuestionSetCreate
    from tests.support.desk_seed import seed_org
    from tests.support.desk_world import RecordedAnswer, record_interview, words_transcript
    from tests.support.media import write_test_video

    org = seed_org(server)
    api, _ = DeskApi.sign_in(server.url, org.hr_email, org.password)
    questions = api.create_question_set(
        QuestionSetCreate(
            name="Backend engineer — first round",
            questions=[
                QuestionIn(
                    text="Tell us about a hard bug you fixed. How did you find it?",
                    type="technical",
                    key_points=["gathered evidence", "narrowed it down", "fixed with a test"],
                ),
                QuestionIn(
                    text="How would you keep a system working when the network is unreliable?",
                    type="technical",
                    key_points=["durable local queue", "retries with backoff", "idempotent operations"],
                ),
            ],
        )
    )
    job = api.create_job(
        JobCreate(
            title="Backend engineer",
            description="Builds and runs the sync server that receives interviews from stations.",
            requirements="Python\nPostgreSQL\nDistributed systems\nTesting",
            question_set_id=questions.id,
        )
    )
    api.create_job(JobCreate(title="Support lead", description="Leads the customer support team."))
    cv = workdir / "grace-hopper.txt"
    cv.write_text(CV)
    people = {}
    for name, email, with_cv in (
        ("Grace Hopper", "grace@example.org", True),
        ("Alan Turing", "alan@example.org", False),
        ("Katherine Johnson", "katherine@example.org", False),
        ("Edsger Dijkstra", None, False),
    ):
        people[name] = api.add_candidate(
            full_name=name, email=email, job_id=job.id, cv=cv if with_cv else None
        )
    invites = {name: api.invite(InviteCreate(candidate_id=c.id)) for name, c in list(people.items())[:3]}
    api.sign_out()

    admin, _ = DeskApi.sign_in(server.url, org.admin_email, org.password)
    from sync_server.contract import EnrollmentCodeCreate

    recorded = False
    if admin.offers("POST", "/uploads/") or admin.offers("POST", "/uploads"):
        code = admin.enrollment_code(EnrollmentCodeCreate(station_name="Lobby kiosk"))
        answers = [
            RecordedAnswer(
                write_test_video(workdir / f"answer-{i}.mp4", seconds=8, width=640, height=360),
                words_transcript(text),
                8.0,
            )
            for i, text in enumerate(ANSWERS)
        ]
        record_interview(
            server_url=server.url,
            enrollment_code=code.enrollment_code,
            access_code=invites["Grace Hopper"].access_code,
            answers=answers,
            workdir=workdir / "station",
        )
        recorded = True
    admin.enrollment_code(EnrollmentCodeCreate(station_name="Reception kiosk 2"))
    if recorded:  # the server scores each answer in the background; wait so the screens show the scores
        interview = admin.interviews(candidate_id=people["Grace Hopper"].id)[0]
        responses = [r.id for r in admin.interview(interview.id).responses]
        deadline = time.monotonic() + 120
        while not all(admin.score(r) for r in responses) and time.monotonic() < deadline:
            time.sleep(0.5)
    admin.sign_out()
    return org, recorded


def take_screenshots(out: Path, server_url: str, org, recorded: bool) -> list[Path]:  # type: ignore[no-untyped-def]
    from ui.qt import QApplication
    from ui.review.window import DeskWindow
    from ui.style import stylesheet
    from ui.tasks import install_main_thread_relay, pending_tasks

    app = QApplication.instance() or QApplication(sys.argv)
    app.setStyleSheet(stylesheet())
    install_main_thread_relay()
    display = os.environ["DISPLAY"]
    saved: list[Path] = []

    def settle(seconds: float = 0.6) -> None:
        deadline = time.monotonic() + 20
        while pending_tasks() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def shot(name: str) -> None:
        settle()
        path = out / f"desk-{name}.png"
        subprocess.run(["import", "-display", display, "-window", "root", str(path)], check=True)
        saved.append(path)

    def open_window(email: str, mode: str) -> DeskWindow:
        window = DeskWindow(mode=mode, server_url=server_url, email=email)
        window.setGeometry(0, 0, WIDTH, HEIGHT)
        window.show()
        return window

    # sign in, with a mistake first
    window = open_window(org.hr_email, "review")
    window.sign_in.password.setText("wrong password")
    window.sign_in.submit()
    settle(1.0)
    shot("01-sign-in-error")
    window.sign_in.password.setText(org.password)
    window.sign_in.submit()
    settle(1.0)
    window.pages["pipeline"].show_job(next(j.id for j in window.api.jobs() if j.title == "Backend engineer"))
    shot("02-pipeline")

    jobs = window.show_page("jobs")
    settle()
    jobs.table.selectRow(
        jobs.table.records.rows.index(
            next(j for j in jobs.table.records.rows if j.title == "Backend engineer")
        )
    )
    shot("03-jobs")
    jobs.open_question_editor()
    settle(1.0)
    jobs.editor.setGeometry(200, 120, 1100, 700)
    shot("04-question-set-editor")
    jobs.editor.reject()

    candidates = window.show_page("candidates")
    settle()
    candidates.table.select_where(lambda c: c.full_name == "Grace Hopper")
    shot("05-candidates")
    candidates.open_add_dialog()
    candidates.add_dialog.full_name.setText("Barbara Liskov")
    candidates.add_dialog.cv_path.setText("/home/hr/cvs/liskov.exe")
    candidates.add_dialog.submit()
    settle(1.0)
    shot("06-add-candidate-error")
    candidates.add_dialog.reject()
    candidates.table.select_where(lambda c: c.full_name == "Edsger Dijkstra")
    candidates.open_invite_dialog()
    candidates.invite_dialog.time_multiplier.setValue(1.5)
    candidates.invite_dialog.large_text.setChecked(True)
    shot("07-invite")
    candidates.invite_dialog.submit()
    settle(1.0)
    shot("08-invite-access-code")
    candidates.invite_dialog.accept()
    candidates.table.select_where(lambda c: c.full_name == "Edsger Dijkstra")
    candidates.open_erase_dialog()
    settle(0.5)
    shot("08b-erase-candidate")
    assert candidates.erase_dialog is not None
    candidates.erase_dialog.reject()

    review = window.show_page("review")
    settle()
    review.show_candidate(next(c for c in candidates.table.records.rows if c.full_name == "Grace Hopper").id)
    settle(1.5)
    if recorded:
        review.player.audio.setMuted(True)
        review.player.seek_and_play(3200)
        settle(1.5)
        review.player.pause()
    shot("09-interview-review")

    compare = window.show_page("compare")
    settle()
    compare.job_picker.setCurrentIndex(compare.job_picker.findText("Backend engineer"))
    compare.load_job()
    settle()
    for row in range(compare.candidate_list.count()):
        item = compare.candidate_list.item(row)
        from ui.qt import Qt

        item.setCheckState(Qt.CheckState.Checked)
    compare.compare()
    settle(1.5)
    shot("10-compare")

    search = window.show_page("search")
    settle()
    search.find_similar()
    search.job.setCurrentIndex(search.job.findText("Backend engineer"))
    search.query.setText("race cache")
    search.search_transcripts()
    settle(1.0)
    shot("10b-search")

    pipeline = window.show_page("pipeline")
    settle()
    pipeline.show_job(next(j.id for j in window.api.jobs() if j.title == "Backend engineer"))
    pipeline.table.selectRow(0)
    shot("11-pipeline-after")
    window.close()

    admin = open_window(org.admin_email, "admin")
    admin.sign_in.password.setText(org.password)
    admin.sign_in.submit()
    settle(1.0)
    shot("12-admin-users")
    admin.show_page("stations")
    settle()
    shot("13-admin-stations")
    admin.show_page("settings")
    settle()
    shot("14-admin-settings")
    audit = admin.show_page("audit")
    settle()
    audit.table.selectRow(0)
    shot("15-admin-audit-log")
    admin.close()
    del pipeline
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--display", default=":98")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from tests.support.live_server import live_server

    xvfb = start_xvfb(args.display)
    os.environ["DISPLAY"] = args.display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    try:
        with (
            tempfile.TemporaryDirectory(prefix="desk-shots-") as tmp,
            live_server(Path(tmp) / "server") as server,
        ):
            org, recorded = seed(server, Path(tmp))
            for path in take_screenshots(args.out, server.url, org, recorded):
                print(path)
            if not recorded:
                print("note: the server has no upload endpoint yet, so no recorded interview was shown")
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


if __name__ == "__main__":
    main()
