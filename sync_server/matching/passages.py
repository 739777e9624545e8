"""Cut CVs into passages the model can read whole (it stops at 256 word pieces), tagged by section,
and job texts into their individual requirements."""

import re
from dataclasses import dataclass

from sync_server.ai.text import split_sentences
from sync_server.screening.sections import SectionKind, split_sections

PASSAGE_WORDS = 60
#: Bullets shorter than this are joined to the next one; longer ones stand alone, so one passage says
#: one thing and a requirement matches it sharply instead of a blur of several achievements.
SHORT_UNIT_WORDS = 8
MAX_REQUIREMENTS = 20
BULLET_RE = re.compile(r"^\s*(?:[-*•·▪‣◦]|\d+[.)])\s+")
JOB_HEADINGS_RE = re.compile(
    r"^(requirements|qualifications|what you(?:'ll)? (?:bring|need)|must have|nice to have|"
    r"responsibilities|about (?:you|the role)|skills|you have)\s*:?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Passage:
    text: str
    section: SectionKind


def cv_passages(text: str) -> list[Passage]:
    """Passages of at most ~PASSAGE_WORDS words; each keeps the kind of section it came from."""
    passages: list[Passage] = []
    for section in split_sections(text):
        for block in re.split(r"\n\s*\n", section.text):
            units: list[str] = []
            for line in block.splitlines():
                line = BULLET_RE.sub("", line).strip()
                if line:
                    units.extend(split_sentences(line, max_words=PASSAGE_WORDS))
            passages.extend(Passage(chunk, section.kind) for chunk in _pack(units))
    return passages


def _pack(units: list[str]) -> list[str]:
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for unit in units:
        words = len(unit.split())
        if current and (size >= SHORT_UNIT_WORDS or size + words > PASSAGE_WORDS):
            chunks.append(" ".join(current))
            current, size = [], 0
        current.append(unit)
        size += words
    if current:
        chunks.append(" ".join(current))
    return chunks


def job_requirements(requirements: str, description: str = "") -> list[str]:
    """One entry per requirement: bullets or lines of the requirements text, else its sentences."""
    source = requirements.strip() or description.strip()
    items: list[str] = []
    for line in source.splitlines():
        line = line.strip()
        if not line or JOB_HEADINGS_RE.match(line):
            continue
        line = BULLET_RE.sub("", line)
        items.extend(split_sentences(line, max_words=PASSAGE_WORDS))
    items = [item.rstrip(";,") for item in items if len(item.split()) >= 2]
    return list(dict.fromkeys(items))[:MAX_REQUIREMENTS]
