"""CV text extraction, including a suite of hostile and broken files generated here."""

import io
import zipfile

import docx
import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from sync_server.screening.errors import CVRejected, CVTooLarge, UnsupportedCVFormat
from sync_server.screening.extract_text import extract_cv_text
from sync_server.screening.profile import extract_profile
from tests.eval.matching_eval import load_cvs

LIMIT = 2 * 1_048_576
CV_TEXT = load_cvs()["nurse_paraphrase"]


def text_pdf(lines: list[str]) -> bytes:
    """A real one-page PDF with a text layer (Helvetica), written by pypdf."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    commands = ["BT", "/F1 10 Tf", "40 800 Td", "12 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        commands.append(f"({escaped.encode('latin-1', 'replace').decode('latin-1')}) Tj T*")
    commands.append("ET")
    stream = DecodedStreamObject()
    stream.set_data("\n".join(commands).encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_pdf_docx_and_txt_give_the_same_profile():
    lines = [line.replace("—", "-") for line in CV_TEXT.splitlines()]
    for data in (text_pdf(lines), docx_bytes(CV_TEXT), CV_TEXT.encode("utf-8"), CV_TEXT.encode("utf-16")):
        extracted = extract_cv_text(data, filename="cv", max_bytes=LIMIT)
        assert "Staff Nurse" in extracted.text
        profile = extract_profile(extracted.text)
        assert profile.recent_titles[0] == "Staff Nurse"
        assert profile.education and "Nursing" in profile.education[0]
        assert "Nursing" in profile.skills
        assert profile.years_experience is not None and profile.years_experience >= 9


def test_profile_of_a_keyword_list_cv():
    profile = extract_profile(load_cvs()["backend_keywords_real"])
    assert {"Go", "PostgreSQL", "Kafka", "Kubernetes", "Terraform"} <= set(profile.skills)
    assert profile.recent_titles[:2] == ["Backend Engineer", "Software Developer"]
    assert profile.education == ["MSc Software Engineering, University of Manchester"]


def test_encrypted_pdf_is_refused_with_a_clear_reason():
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf(["Secret CV"] * 5)))
    writer.encrypt(user_password="open-sesame", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(CVRejected, match="password-protected") as caught:
        extract_cv_text(out.getvalue(), filename="cv.pdf", max_bytes=LIMIT)
    assert caught.value.status_code == 422


def test_pdf_protected_only_by_an_owner_password_is_read():
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf(CV_TEXT.replace("—", "-").splitlines())))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert "Staff Nurse" in extract_cv_text(out.getvalue(), filename="cv.pdf", max_bytes=LIMIT).text


def test_image_only_pdf_is_refused_as_scanned():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(CVRejected, match="image-only"):
        extract_cv_text(out.getvalue(), filename="scan.pdf", max_bytes=LIMIT)


@pytest.mark.parametrize("cut", [0.2, 0.5, 0.9])
def test_truncated_pdf_and_docx_are_refused_not_crashed(cut):
    for name, data in (("cv.pdf", text_pdf(["x" * 60] * 30)), ("cv.docx", docx_bytes(CV_TEXT))):
        broken = data[: int(len(data) * cut)]
        try:
            result = extract_cv_text(broken, filename=name, max_bytes=LIMIT)
        except CVRejected as exc:
            assert exc.status_code in (415, 422)
            assert "damaged" in exc.detail or "no readable text" in exc.detail or "not a" in exc.detail
        else:  # pypdf can recover a PDF cut late enough; then the text must be real
            assert result.format == "pdf" and "x" * 20 in result.text


def test_zip_bomb_docx_is_refused_before_parsing():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b"A" * (60 * 1_048_576) + b"</w:document>")
    with pytest.raises(CVRejected, match="implausible size"):
        extract_cv_text(out.getvalue(), filename="cv.docx", max_bytes=LIMIT)


def test_a_zip_that_is_not_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnsupportedCVFormat, match="not a Word document"):
        extract_cv_text(out.getvalue(), filename="cv.docx", max_bytes=LIMIT)


def test_wrong_extension_is_decided_by_content():
    as_pdf_named_txt = extract_cv_text(docx_bytes(CV_TEXT), filename="cv.txt", max_bytes=LIMIT)
    assert as_pdf_named_txt.format == "docx"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
    with pytest.raises(UnsupportedCVFormat, match="not a PDF, DOCX or text file"):
        extract_cv_text(png, filename="cv.pdf", max_bytes=LIMIT)
    with pytest.raises(UnsupportedCVFormat, match=r"\.doc"):
        extract_cv_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), filename="cv.doc", max_bytes=LIMIT)


def test_empty_tiny_and_huge_files():
    with pytest.raises(CVRejected, match="empty"):
        extract_cv_text(b"", filename="cv.txt", max_bytes=LIMIT)
    with pytest.raises(CVRejected, match="empty"):
        extract_cv_text(b"   \n\n ", filename="cv.txt", max_bytes=LIMIT)
    with pytest.raises(CVRejected, match="almost no text"):
        extract_cv_text(b"John Smith", filename="cv.txt", max_bytes=LIMIT)
    with pytest.raises(CVTooLarge) as caught:
        extract_cv_text(b"a" * (LIMIT + 1), filename="cv.txt", max_bytes=LIMIT)
    assert caught.value.status_code == 413


def test_garbage_bytes_claiming_to_be_pdf_are_refused():
    with pytest.raises(CVRejected, match="damaged"):
        extract_cv_text(b"%PDF-1.7\n" + bytes(range(256)) * 20, filename="cv.pdf", max_bytes=LIMIT)


def test_control_characters_in_the_text_are_dropped():
    """Parsers pass NUL and other controls through; PostgreSQL cannot store NUL in the CV's text."""
    line = "Nurse\x00 with ten years\x07 of ward experience and\x0b triage skills."
    for data in (text_pdf([line, line]), ("x" * 5000 + "\n" + line).encode()):
        text = extract_cv_text(data, filename="cv", max_bytes=LIMIT).text
        assert "\x00" not in text and "\x07" not in text and "\x0b" not in text
        assert "Nurse with ten years of ward experience and triage skills." in text


def test_page_breaks_and_separators_still_separate_words():
    """A form feed (page break in text from pdftotext), a vertical tab (Word's manual line break) and
    the ASCII separators are whitespace to the tidy-up: dropping them would glue "Python" to the next
    page's first word, and skills and searches would miss it."""
    data = ("x" * 5000 + "\nSkills: Python\x0cSQL and Go\x0bLeadership\x1fMentoring\n").encode()
    text = extract_cv_text(data, filename="cv.txt", max_bytes=LIMIT).text
    assert "Python\nSQL and Go Leadership Mentoring" in text
