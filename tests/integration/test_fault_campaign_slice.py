"""A slice of the randomized fault campaign (tests/benchmarks/fault_campaign.py runs 200+): each fault
once, on real processes. Nothing may be lost or duplicated."""

from pathlib import Path

import pytest

from tests.benchmarks.fault_campaign import FAULTS, run_campaign
from tests.support.sync_rig import SyncRig, rig_settings

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def test_each_fault_once_loses_and_duplicates_nothing(
    tmp_path: Path, postgres_url: str, redis_config: tuple[str, str]
) -> None:
    settings, env = rig_settings(tmp_path, postgres_url, *redis_config)
    rig = SyncRig(root=tmp_path, server_settings=settings, server_env=env)
    rig.server.start()
    try:
        result = run_campaign(rig, runs=len(FAULTS), seed=11, faults=FAULTS)
    finally:
        rig.close()
    assert {fault: stats.runs for fault, stats in result.by_fault.items()} == dict.fromkeys(FAULTS, 1)
    assert result.lost == 0
    assert result.duplicates == 0
    # A cut or a kill costs at most the chunk in flight (plus request headers).
    for fault, stats in result.by_fault.items():
        assert stats.max_resent <= (1 << 20) + 64 * 1024, fault
