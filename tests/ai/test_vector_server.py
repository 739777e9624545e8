"""CV vectors on a Chroma server: what a deployment with separate worker processes uses, because a
local persistent store does not show one process's writes to another process's search index."""

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from sync_server.matching.embedder import DIMENSIONS
from sync_server.matching.passages import Passage
from sync_server.matching.vector_store import CVVectorStore
from tests.support.services import IN_CI

CHROMA = Path(sys.executable).parent / "chroma"

WRITER = """
import sys, numpy as np
from sync_server.matching.passages import Passage
from sync_server.matching.vector_store import CVVectorStore
store = CVVectorStore(url=sys.argv[1])
vector = np.zeros(384, dtype=np.float32); vector[int(sys.argv[3])] = 1.0
store.replace_cv(organization_id=sys.argv[2], candidate_id=sys.argv[4], cv_hash="h",
                 passages=[Passage("written by another process", "experience")],
                 passage_vectors=vector.reshape(1, -1), profile_vector=vector)
"""


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMA.exists():
        message = "the chroma server command is not installed"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(tmp_path_factory.mktemp("chroma")), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as reply:
                json.load(reply)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the chroma server did not start")
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


def unit(index: int) -> np.ndarray:
    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    vector[index] = 1.0
    return vector


def test_writes_from_another_process_are_searchable_at_once_and_tenants_stay_apart(chroma_url):
    api = CVVectorStore(url=chroma_url)  # a long-lived "API process" client
    api.replace_cv(
        organization_id="org-a",
        candidate_id="first",
        cv_hash="h",
        passages=[Passage("ours", "experience")],
        passage_vectors=unit(0).reshape(1, -1),
        profile_vector=unit(0),
    )
    assert [
        n.candidate_id for n in api.nearest_profiles(organization_id="org-a", vector=unit(0), limit=5)
    ] == ["first"]
    for org, index, candidate in (("org-a", 7, "from-worker"), ("org-b", 7, "other-tenant")):
        subprocess.run([sys.executable, "-c", WRITER, chroma_url, org, str(index), candidate], check=True)
    nearest = api.nearest_profiles(organization_id="org-a", vector=unit(7), limit=5)
    assert nearest[0].candidate_id == "from-worker" and nearest[0].similarity == pytest.approx(1.0, abs=1e-4)
    assert "other-tenant" not in {n.candidate_id for n in nearest}
    assert api.passages(organization_id="org-a", candidate_ids=["other-tenant"]) == {"other-tenant": []}
    assert api.count_cvs(organization_id="org-b") == 1


def test_a_bad_chroma_url_is_refused():
    with pytest.raises(ValueError, match="Chroma server URL"):
        CVVectorStore(url="chroma:8000")
