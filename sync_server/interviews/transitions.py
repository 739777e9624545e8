"""Which interview status may follow which, and who may make the move."""

from sync_server.contract import InterviewStatus
from sync_server.errors import Conflict

S = InterviewStatus

# Staying in the same status is allowed where a retried request must be harmless (station outbox).
ALLOWED: dict[InterviewStatus, frozenset[InterviewStatus]] = {
    S.invited: frozenset({S.in_progress, S.cancelled, S.expired}),
    S.in_progress: frozenset({S.in_progress, S.completed, S.cancelled}),
    S.completed: frozenset({S.completed}),
    S.expired: frozenset(),
    S.cancelled: frozenset(),
}

# Reviewers can only stop an interview; stations drive it forward.
REVIEWER_TARGETS = frozenset({S.cancelled, S.expired})
STATION_TARGETS = frozenset({S.in_progress, S.completed})


def check_transition(current: str, target: InterviewStatus) -> None:
    """Raises Conflict naming both statuses when the move is not allowed."""
    if target not in ALLOWED[InterviewStatus(current)]:
        raise Conflict(f"An interview that is {current} cannot become {target.value}.")
