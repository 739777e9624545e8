"""A structured profile out of CV text: skills, years of experience, education, recent job titles."""

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from sync_server.screening.sections import Section, split_sections

RESOURCES = Path(__file__).resolve().parents[2] / "resources"

MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_POINT = rf"(?:{_MONTH}\s+\d{{4}}|\d{{1,2}}/\d{{4}}|\d{{4}})"
_END = rf"(?:{_POINT}|present|current|now|today|ongoing)"
DATE_RANGE_RE = re.compile(rf"({_POINT})\s*(?:-|–|—|to|until)\s*({_END})", re.IGNORECASE)
EXPLICIT_YEARS_RE = re.compile(
    r"(\d{1,2})\+?\s*(?:years|yrs)(?:\s+of)?(?:\s+\w+){0,3}?\s+experience", re.IGNORECASE
)
DEGREE_RE = re.compile(
    r"\b(ph\.?\s?d|doctorate|doctor of|master|m\.?sc|m\.?s\.|m\.?a\.|mba|m\.?eng|bachelor|b\.?sc|b\.?s\.|b\.?a\.|"
    r"b\.?eng|associate degree|associate of|diploma|degree|gcse|a-levels|high school|ged|nvq|apprenticeship|"
    r"university|college|bootcamp|certificate in)\b",
    re.IGNORECASE,
)
_TITLE_WORDS_TEXT = """engineer developer programmer manager nurse teacher analyst designer consultant accountant technician
    director lead specialist coordinator assistant officer administrator architect scientist representative
    executive associate intern chef cook driver electrician welder operator supervisor clerk agent recruiter
    advisor adviser therapist pharmacist lawyer paralegal writer editor marketer head vp president founder
    owner mechanic plumber carpenter attorney physician doctor surgeon caregiver instructor tutor professor
    lecturer controller auditor bookkeeper cashier receptionist secretary planner buyer estimator surveyor
    strategist researcher support worker midwife paramedic dentist hygienist sales"""
TITLE_WORDS = frozenset(_TITLE_WORDS_TEXT.split())


@dataclass(frozen=True)
class Skill:
    name: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass
class CVProfile:
    skills: list[str] = field(default_factory=list)
    years_experience: float | None = None
    education: list[str] = field(default_factory=list)
    recent_titles: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


@lru_cache(maxsize=1)
def skills_vocabulary() -> tuple[Skill, ...]:
    skills = []
    for line in (RESOURCES / "skills.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names = [n.strip() for n in line.split("|") if n.strip()]
        patterns = []
        for name in names:
            escaped = re.escape(name)
            if len(name) <= 2:
                # "C", "R", "Go": only as a list item, with exact case, or every initial would be a skill.
                patterns.append(re.compile(rf"(?:^|[,;/|•·(]\s*){escaped}(?=\s*(?:[,;/|)]|$))", re.MULTILINE))
            else:
                patterns.append(re.compile(rf"(?<![\w+#.]){escaped}(?![\w+#])", re.IGNORECASE))
        skills.append(Skill(names[0], tuple(patterns)))
    return tuple(skills)


def find_skills(text: str) -> list[str]:
    return [skill.name for skill in skills_vocabulary() if any(p.search(text) for p in skill.patterns)]


def _month_index(point: str, *, end: bool, today: date) -> int | None:
    point = point.strip().lower()
    if point in {"present", "current", "now", "today", "ongoing"}:
        return today.year * 12 + today.month
    if "/" in point:
        month, year = point.split("/")
        return int(year) * 12 + int(month)
    parts = point.split()
    if len(parts) == 2:
        month_number = MONTHS.get(parts[0][:3])
        return int(parts[1]) * 12 + month_number if month_number else None
    return int(point) * 12 + (12 if end else 1)


def years_from_ranges(text: str, *, today: date | None = None) -> float | None:
    """Total time covered by date ranges, overlapping ranges counted once."""
    today = today or date.today()
    spans = []
    for start_raw, end_raw in DATE_RANGE_RE.findall(text):
        start = _month_index(start_raw, end=False, today=today)
        end = _month_index(end_raw, end=True, today=today)
        if start is None or end is None or not (1950 * 12 < start <= end <= today.year * 12 + 12):
            continue
        spans.append((start, end))
    if not spans:
        return None
    spans.sort()
    total = 0
    current_start, current_end = spans[0]
    for start, end in spans[1:]:
        if start > current_end:
            total += current_end - current_start + 1
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    total += current_end - current_start + 1
    return round(total / 12 * 2) / 2


def extract_profile(text: str, *, today: date | None = None) -> CVProfile:
    sections = split_sections(text)
    by_kind: dict[str, str] = {}
    for section in sections:
        by_kind[section.kind] = (by_kind.get(section.kind, "") + "\n" + section.text).strip()
    experience = by_kind.get("experience", "")
    years = years_from_ranges(experience or text, today=today)
    if years is None:
        stated = [int(n) for n in EXPLICIT_YEARS_RE.findall(text)]
        years = float(max(stated)) if stated else None

    education_source = by_kind.get("education", "") or text
    education = [
        line.strip(" -•*")
        for line in education_source.splitlines()
        if DEGREE_RE.search(line) and 3 <= len(line.split()) <= 25
    ][:5]

    titles: list[str] = []
    for line in (experience or text).splitlines():
        head = re.split(r"\s+(?:at|@)\s+|\s+[-–—|,]\s+|,\s|\(|\d{4}", line.strip(" -•*"), maxsplit=1)[
            0
        ].strip()
        words = head.lower().replace("/", " ").split()
        if 1 <= len(words) <= 6 and any(w.strip(".,") in TITLE_WORDS for w in words) and head not in titles:
            titles.append(head)
        if len(titles) == 3:
            break
    return CVProfile(
        skills=find_skills(text),
        years_experience=years,
        education=education,
        recent_titles=titles,
        sections=sections,
    )
