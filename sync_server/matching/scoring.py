"""Score one CV against one job's requirements, requirement by requirement, with the evidence.

A requirement is met by what the CV says the person DID: passages from experience and projects count
fully; a summary counts less; a bare skills list counts least, because anyone can type a keyword there.
So a CV that describes real work in other words beats one that lists every keyword it cannot back up.
"""

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from sync_server.matching.embedder import Vectors
from sync_server.matching.vector_store import StoredPassage

SECTION_WEIGHT: dict[str, float] = {
    "experience": 1.0,
    "projects": 1.0,
    "certifications": 0.85,
    "education": 0.85,
    "summary": 0.7,
    "other": 0.6,
    "skills": 0.5,
}
MATCHED = 0.45
PARTIAL = 0.32
LOW, HIGH = 0.2, 0.55  # weighted similarity mapped onto 0..1 between these

YEARS_RE = re.compile(r"(\d{1,2})\s*\+?\s*(?:years|yrs)", re.IGNORECASE)

Status = Literal["matched", "partial", "missing"]


@dataclass(frozen=True)
class RequirementMatch:
    requirement: str
    status: Status
    similarity: float
    evidence: str | None
    evidence_section: str | None
    skills_list_only: bool = False


@dataclass(frozen=True)
class MatchResult:
    candidate_id: str
    score: float  # 0..100
    requirements: list[RequirementMatch] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [r.requirement for r in self.requirements if r.status == "missing"]

    def explanation(self) -> str:
        matched = [r for r in self.requirements if r.status == "matched"]
        parts = [f"Meets {len(matched)} of {len(self.requirements)} requirements."]
        stuffed = [r for r in self.requirements if r.skills_list_only]
        if stuffed:
            parts.append(f"{len(stuffed)} only appear in the skills list, not in described work.")
        if self.missing:
            parts.append("Missing: " + "; ".join(self.missing[:3]) + ".")
        return " ".join(parts)


def score_candidate(
    *,
    candidate_id: str,
    requirements: list[str],
    requirement_vectors: Vectors,
    passages: list[StoredPassage],
    years_experience: float | None = None,
) -> MatchResult:
    if not requirements:
        return MatchResult(candidate_id, 0.0, [])
    if not passages:
        return MatchResult(
            candidate_id, 0.0, [RequirementMatch(r, "missing", 0.0, None, None) for r in requirements]
        )
    passage_matrix = np.stack([p.vector for p in passages])
    weights = np.array([SECTION_WEIGHT.get(p.section, 0.6) for p in passages], dtype=np.float32)
    raw = requirement_vectors @ passage_matrix.T  # requirements x passages
    weighted = raw * weights[None, :]
    is_skills = np.array([p.section == "skills" for p in passages])
    matches = []
    values = []
    for i, requirement in enumerate(requirements):
        best = int(np.argmax(weighted[i]))
        similarity = float(weighted[i, best])
        status: Status = (
            "matched" if similarity >= MATCHED else "partial" if similarity >= PARTIAL else "missing"
        )
        evidence = passages[best].text
        wanted_years = YEARS_RE.search(requirement)
        if wanted_years and years_experience is not None and status != "missing":
            # "5+ years of X": the dates in the CV decide the years; related work must exist too.
            if years_experience >= int(wanted_years.group(1)):
                status, similarity = "matched", max(similarity, MATCHED)
                evidence = f"{years_experience:g} years of dated experience; related: {evidence}"
            else:
                status = "partial"
                evidence = f"only {years_experience:g} years of dated experience; related: {evidence}"
        # Would the skills list alone have matched, while described work does not?
        raw_skills = float(raw[i][is_skills].max()) if is_skills.any() else 0.0
        skills_only = status != "matched" and raw_skills >= MATCHED
        matches.append(
            RequirementMatch(
                requirement=requirement,
                status=status,
                similarity=round(similarity, 3),
                evidence=evidence if status != "missing" else None,
                evidence_section=passages[best].section if status != "missing" else None,
                skills_list_only=skills_only,
            )
        )
        values.append(min(1.0, max(0.0, (similarity - LOW) / (HIGH - LOW))))
    return MatchResult(candidate_id, round(100 * float(np.mean(values)), 1), matches)


def profile_vector(passages_vectors: Vectors, sections: list[str]) -> Vectors:
    """One vector per CV for shortlisting and "candidates like this": section-weighted mean, unit length."""
    if len(passages_vectors) == 0:
        return np.zeros(passages_vectors.shape[1] if passages_vectors.ndim == 2 else 384, dtype=np.float32)
    weights = np.array([SECTION_WEIGHT.get(s, 0.6) for s in sections], dtype=np.float32)
    mean = (passages_vectors * weights[:, None]).sum(axis=0)
    norm = float(np.linalg.norm(mean))
    return np.asarray(mean / norm if norm else mean, dtype=np.float32)
