"""The station's enrollment: which server it talks to and its credential, kept in a 0600 file."""

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop_app.sync.errors import NotEnrolled


@dataclass(frozen=True)
class StationIdentity:
    server_url: str
    station_id: str
    station_name: str
    organization_name: str
    credential: str

    def __repr__(self) -> str:  # never print the credential
        return f"StationIdentity(server_url={self.server_url!r}, station_id={self.station_id!r})"


def save_identity(path: Path, identity: StationIdentity) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(asdict(identity), handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def load_identity(path: Path) -> StationIdentity:
    try:
        data = json.loads(path.read_text())
        return StationIdentity(**data)
    except FileNotFoundError:
        raise NotEnrolled(
            "This station is not enrolled with a sync server yet.",
            fix="Ask an admin for an enrollment code, then run: interview-station enroll --server URL --code CODE",
        ) from None
    except (ValueError, TypeError):
        raise NotEnrolled(
            f"The station's enrollment file {path} is damaged.",
            fix="Enroll again: interview-station enroll --server URL --code CODE",
        ) from None
