"""Question sets and their ordered questions."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync_server.models.base import (
    Base,
    CreatedAtMixin,
    IdMixin,
    JSONDocument,
    OrgOwnedMixin,
    UTCDateTime,
    fk_id,
    utcnow,
)


class QuestionSet(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    __tablename__ = "question_sets"
    __table_args__ = (Index("ix_question_sets_organization_id_created_at", "organization_id", "created_at"),)

    name: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[str | None] = fk_id("users.id", ondelete="SET NULL", nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    questions: Mapped[list["Question"]] = relationship(
        order_by="Question.position", cascade="all, delete-orphan", lazy="selectin"
    )


class Question(IdMixin, OrgOwnedMixin, Base):
    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("question_set_id", "position"),
        CheckConstraint("type IN ('technical', 'behavioral', 'situational')", name="type"),
        CheckConstraint("max_attempts >= 1", name="max_attempts"),
    )

    question_set_id: Mapped[str] = fk_id("question_sets.id")
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16), default="behavioral")
    key_points: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    think_seconds: Mapped[int] = mapped_column(Integer, default=30)
    answer_seconds: Mapped[int] = mapped_column(Integer, default=120)
    max_attempts: Mapped[int] = mapped_column(Integer, default=1)
