"""Which interview status may follow which, and who may make the move."""

from sync_server.contract import InterviewStatus
from sync_server.errors import Conflict

S = InterviewStatus

# Staying in the same status is allowed where a retried request must be harmless (station outbox).
# A candidate declines consent at the station, which has opened the interview (in_progress) by then;
# declined is terminal: the access code stays spent and a change of mind needs a new invite.
ALLOWED: dict[InterviewStatus, frozenset[InterviewStatus]] = {
    S.invited: frozenset({S.in_progress, S.cancelled, S.expired, S.declined}),
    S.in_progress: frozenset({S.in_progress, S.completed, S.cancelled, S.declined}),
    S.completed: frozenset({S.completed}),
    S.expired: frozenset(),
    S.cancelled: frozenset(),
    S.declined: frozenset({S.declined}),
}

# Reviewers can only stop an interview; stations drive it forward.
REVIEWER_TARGETS = frozenset({S.cancelled, S.expired})
STATION_TARGETS = frozenset({S.in_progress, S.completed, S.declined})


def check_transition(current: str, target: InterviewStatus) -> None:
    """Raises Conflict naming both statuses when the move is not allowed."""
    if target not in ALLOWED[InterviewStatus(current)]:
        raise Conflict(f"An interview that is {current} cannot become {target.value}.")
