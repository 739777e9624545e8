"""Split CV text into its sections (summary, experience, education, skills, ...) by their headings."""

import re
from dataclasses import dataclass
from typing import Literal

SectionKind = Literal["summary", "experience", "education", "skills", "projects", "certifications", "other"]

HEADINGS: dict[SectionKind, tuple[str, ...]] = {
    "summary": (
        "summary",
        "profile",
        "professional summary",
        "about me",
        "objective",
        "career objective",
        "personal statement",
        "overview",
    ),
    "experience": (
        "experience",
        "work experience",
        "professional experience",
        "employment",
        "employment history",
        "work history",
        "career history",
        "relevant experience",
        "career",
        "positions held",
    ),
    "education": (
        "education",
        "qualifications",
        "academic background",
        "education and training",
        "academic qualifications",
    ),
    "skills": (
        "skills",
        "technical skills",
        "key skills",
        "core skills",
        "core competencies",
        "competencies",
        "technologies",
        "tools",
        "skills and tools",
        "tech stack",
        "areas of expertise",
        "expertise",
    ),
    "projects": ("projects", "selected projects", "key projects", "portfolio"),
    "certifications": (
        "certifications",
        "certificates",
        "licenses",
        "licences",
        "licenses and certifications",
        "training",
        "courses",
    ),
    "other": (
        "interests",
        "hobbies",
        "languages",
        "references",
        "volunteering",
        "volunteer experience",
        "awards",
        "publications",
        "contact",
    ),
}
_LOOKUP = {name: kind for kind, names in HEADINGS.items() for name in names}
_HEADING_RE = re.compile(r"^[#=*\-\s]*([A-Za-z &/]+?)[\s:#=*\-]*$")


@dataclass(frozen=True)
class Section:
    kind: SectionKind
    heading: str
    text: str


def heading_kind(line: str) -> SectionKind | None:
    match = _HEADING_RE.match(line.strip())
    if not match or len(line.split()) > 5:
        return None
    return _LOOKUP.get(" ".join(match.group(1).lower().replace("&", "and").split()))


def split_sections(text: str) -> list[Section]:
    """Sections in document order. Text before the first heading is the summary (name, contact, intro)."""
    sections: list[Section] = []
    kind: SectionKind = "summary"
    heading = ""
    lines: list[str] = []
    for line in text.splitlines():
        found = heading_kind(line)
        if found is not None:
            if any(text.strip() for text in lines):
                sections.append(Section(kind, heading, "\n".join(lines).strip()))
            kind, heading, lines = found, line.strip(), []
        else:
            lines.append(line)
    if any(text.strip() for text in lines):
        sections.append(Section(kind, heading, "\n".join(lines).strip()))
    return sections
