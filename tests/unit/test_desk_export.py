"""The desk's exports: a readable, escaped HTML report and a CSV that a spreadsheet cannot run."""

import csv

import pytest

from desktop_app.desk.errors import ExportFailed
from desktop_app.desk.export import (
    CandidateReport,
    CriterionLine,
    EvidenceLine,
    JobRow,
    QuestionReport,
    render_candidate_html,
    write_candidate_html,
    write_job_csv,
)


def _report() -> CandidateReport:
    return CandidateReport(
        candidate_name="Ada <script>alert(1)</script>",
        job_title="Backend engineer",
        candidate_email="ada@example.com",
        match_score=0.82,
        interview_score=4.0,
        decision="shortlist",
        decision_note="Strong on databases",
        questions=[
            QuestionReport(
                question="Tell us about a hard bug.",
                ai_score=4.0,
                criteria=[CriterionLine("Structure", 4.0, "clear STAR answer")],
                evidence=[EvidenceLine("I bisected the release", 12.5, "Structure")],
                feedback="Concrete and specific.",
                transcript="I bisected the release and found it.",
                rating=5,
                comment="Agree",
                override_score=4.5,
                override_reason="Better than the AI says",
            )
        ],
    )


def test_report_html_holds_scores_evidence_and_notes_escaped(tmp_path):
    page = render_candidate_html(_report())
    assert "<script>" not in page
    assert "Ada &lt;script&gt;" in page
    for expected in (
        "Backend engineer",
        "shortlist",
        "I bisected the release",
        "at 0:12",
        "Concrete and specific.",
        "5/5",
        "overridden to 4.5",
        "Better than the AI says",
        "Strong on databases",
    ):
        assert expected in page
    path = write_candidate_html(_report(), tmp_path / "out" / "ada.html")
    assert path.read_text(encoding="utf-8") == page
    assert [p.name for p in path.parent.iterdir()] == ["ada.html"]  # no temporary file left behind


def test_a_people_only_report_says_so_and_shows_no_ai_score():
    report = _report()
    page = render_candidate_html(
        CandidateReport(
            candidate_name=report.candidate_name,
            job_title=report.job_title,
            people_only=True,
            questions=[
                QuestionReport(
                    question="Tell us about a hard bug.", override_score=4.5, override_reason="Calm"
                )
            ],
        )
    )
    assert "evaluated by people only — no AI score" in page
    assert "AI score:" not in page and "Reviewer's score:</b> 4.5: Calm" in page


def test_job_csv_quotes_formulas_and_reports_progress(tmp_path):
    rows = [
        JobRow('=HYPERLINK("http://evil")', "a@example.com", "scored", 0.5, 3.25, 4.0, "shortlist"),
        JobRow("Bob", "b@example.com", "invited", None, None, None, ""),
    ]
    seen: list[int] = []
    path = write_job_csv(rows, tmp_path / "job.csv", on_progress=seen.append)
    with path.open(newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    assert table[0][:3] == ["candidate", "email", "status"]
    assert table[1][0].startswith("'=")
    assert table[1][3:6] == ["0.5", "3.25", "4"]
    assert table[2][3] == ""
    assert seen == [1, 2]


def test_export_into_an_unwritable_place_is_one_sentence_and_leaves_nothing(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportFailed) as info:
        write_job_csv([], blocker / "job.csv")
    assert "Can't write" in info.value.message


def test_a_failure_mid_export_leaves_no_partial_file(tmp_path):
    def rows():
        yield JobRow("A", "", "", None, None, None, "")
        raise RuntimeError("source broke")

    with pytest.raises(RuntimeError):
        write_job_csv(rows(), tmp_path / "out" / "job.csv")
    assert list((tmp_path / "out").iterdir()) == []
