"""Demo data: an organization with an admin, an HR user, a job, a question set, a candidate and an
invite, so a fresh server can be tried end to end at once. Safe to run again: it adds a new set."""

import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from sync_server.candidates.service import create_candidate
from sync_server.config import ServerSettings
from sync_server.contract import (
    Accommodations,
    InviteCreate,
    JobCreate,
    QuestionIn,
    QuestionSetCreate,
    QuestionType,
    Role,
)
from sync_server.invites.service import create_invite
from sync_server.jobs.service import create_job
from sync_server.organizations.service import create_organization, create_user
from sync_server.question_sets.service import create_question_set

DEMO_QUESTIONS = [
    QuestionIn(
        text="Tell us about a project you are proud of. What was your part in it?",
        type=QuestionType.behavioral,
        key_points=["concrete project", "own contribution", "outcome"],
        think_seconds=20,
        answer_seconds=90,
        max_attempts=2,
    ),
    QuestionIn(
        text="A customer reports that the app lost their data. What do you do first?",
        type=QuestionType.situational,
        key_points=["calm the customer", "gather facts", "escalate", "follow up"],
        think_seconds=20,
        answer_seconds=90,
    ),
    QuestionIn(
        text="Explain the difference between a process and a thread.",
        type=QuestionType.technical,
        key_points=["memory isolation", "shared memory", "cost of switching"],
        think_seconds=15,
        answer_seconds=60,
    ),
]


@dataclass(frozen=True)
class DemoSeed:
    organization: str
    admin_email: str
    hr_email: str
    password: str
    access_code: str
    interview_id: str

    def describe(self) -> str:
        return "\n".join(
            [
                f"organization : {self.organization}",
                f"admin        : {self.admin_email}  password: {self.password}",
                f"hr           : {self.hr_email}  password: {self.password}",
                f"access code  : {self.access_code}  (interview {self.interview_id})",
            ]
        )


def seed_demo(session: Session, settings: ServerSettings) -> DemoSeed:
    tag = secrets.token_hex(3)
    password = f"demo-{secrets.token_urlsafe(9)}"
    org = create_organization(session, name=f"Demo Company {tag}", slug=f"demo-{tag}")
    admin = create_user(
        session,
        organization_id=org.id,
        email=f"admin-{tag}@demo.example",
        password=password,
        role=Role.admin,
        full_name="Demo Admin",
    )
    hr = create_user(
        session,
        organization_id=org.id,
        email=f"hr-{tag}@demo.example",
        password=password,
        role=Role.hr,
        full_name="Demo Recruiter",
    )
    actor = ("user", hr.id)
    question_set = create_question_set(
        session,
        organization_id=org.id,
        data=QuestionSetCreate(name="Support engineer screen", questions=DEMO_QUESTIONS),
        actor=actor,
    )
    job = create_job(
        session,
        organization_id=org.id,
        data=JobCreate(
            title="Support Engineer",
            description="Help customers run Interview Station.",
            requirements="Clear communication; Linux basics; Python a plus.",
            question_set_id=question_set.id,
        ),
        actor=actor,
    )
    candidate = create_candidate(
        session,
        settings,
        organization_id=org.id,
        full_name="Alex Example",
        email=f"alex-{tag}@demo.example",
        job_id=job.id,
        cv=None,
        actor=actor,
    )
    invite = create_invite(
        session,
        settings,
        organization_id=org.id,
        data=InviteCreate(
            candidate_id=candidate.id, expires_in_hours=24 * 7, accommodations=Accommodations()
        ),
        actor=actor,
    )
    return DemoSeed(
        organization=org.name,
        admin_email=admin.email,
        hr_email=hr.email,
        password=password,
        access_code=invite.access_code,
        interview_id=invite.interview_id,
    )
