"""Export a candidate report (HTML, or PDF through Qt's PDF writer) and save answer videos, with progress."""

import os
import tempfile
from pathlib import Path

from desktop_app.desk.errors import ExportFailed
from desktop_app.desk.export import CandidateReport, render_candidate_html, write_candidate_html
from ui.qt import QPageLayout, QPageSize, QPdfWriter, QTextDocument


def write_candidate_pdf(report: CandidateReport, path: Path) -> Path:
    """Lay the report's HTML out on A4 pages. Runs on the GUI thread (QTextDocument); a second or less."""
    document = QTextDocument()
    document.setHtml(render_candidate_html(report))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".pdf", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise ExportFailed(
            f"Can't write to {path.parent} ({exc.strerror}).", fix="Choose another folder."
        ) from None
    writer = QPdfWriter(tmp_name)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Portrait)
    writer.setTitle(f"{report.candidate_name} — {report.job_title}")
    writer.setCreator("Interview Station")
    document.print_(writer)
    del writer  # the file is finished when the writer goes away
    tmp = Path(tmp_name)
    if tmp.stat().st_size == 0:
        tmp.unlink(missing_ok=True)
        raise ExportFailed(f"The PDF for {report.candidate_name} came out empty.", fix="Try the HTML export.")
    tmp.replace(path)
    return path


def write_report(report: CandidateReport, path: Path) -> Path:
    if path.suffix.lower() == ".pdf":
        return write_candidate_pdf(report, path)
    return write_candidate_html(
        report, path if path.suffix.lower() in (".html", ".htm") else path.with_suffix(".html")
    )
