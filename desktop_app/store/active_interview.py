"""The interview a kiosk is running right now, kept on disk so a restart can resume it.

The session journal knows where an interview is (question, attempts) but not its plan; the plan
came from the server once, when the access code was spent, and the station may be offline after a
power cut. So the kiosk writes the plan here (fsync'ed, atomic rename) before the interview starts
and removes it when the interview ends; at start-up an existing file means "resume this".
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from desktop_app.store.database import StoreError
from sync_server.contract import InterviewPlan


@dataclass(frozen=True)
class ActiveInterview:
    plan: InterviewPlan
    people_only: bool  # the candidate asked to be evaluated by people only, without AI


def kiosk_active_interview_file(data_dir: Path) -> "ActiveInterviewFile":
    """The kiosk's file under the station's data folder (other processes look at it too)."""
    return ActiveInterviewFile(data_dir / "kiosk" / "active-interview.json")


class ActiveInterviewFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        return self.path.is_file()

    def save(self, active: ActiveInterview) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        body = {"plan": active.plan.model_dump(mode="json"), "people_only": active.people_only}
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(body, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    def load(self) -> ActiveInterview | None:
        """The interrupted interview, or None. A damaged file is an error staff must see, not a silent skip."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return ActiveInterview(InterviewPlan.model_validate(raw["plan"]), bool(raw.get("people_only")))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError, ValidationError):
            raise StoreError(
                f"The interrupted interview in {self.path} cannot be read.",
                fix="Move the file aside to start fresh; the answers already recorded are in the outbox.",
            ) from None

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
