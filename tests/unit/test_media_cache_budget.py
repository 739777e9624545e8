"""The desk's media cache stays within its byte budget and empties at sign-out."""

import os
from pathlib import Path

from desktop_app.desk.client import DeskClient
from desktop_app.desk.media_cache import MediaCache


def cache_with_files(tmp_path: Path, sizes: dict[str, int], *, max_bytes: int) -> MediaCache:
    cache = MediaCache(tmp_path, DeskClient("http://127.0.0.1:9"), max_bytes=max_bytes)
    cache.folder.mkdir(parents=True)
    for age, (name, size) in enumerate(sizes.items()):
        path = cache.folder / name
        path.write_bytes(b"x" * size)
        (cache.folder / f"{path.stem}.json").write_text("{}")
        stamp = 1_700_000_000 - age * 60  # the first name given is the most recently used
        os.utime(path, (stamp, stamp))
    return cache


def test_least_recently_used_files_go_first_until_the_cache_fits(tmp_path):
    cache = cache_with_files(
        tmp_path, {"new.media": 400, "middle.media": 400, "old.media": 400}, max_bytes=900
    )
    removed = cache.trim()
    assert [p.name for p in removed] == ["old.media"]
    assert sorted(p.name for p in cache.folder.iterdir()) == [
        "middle.json",
        "middle.media",
        "new.json",
        "new.media",
    ]


def test_the_file_just_fetched_and_unfinished_downloads_stay_even_over_budget(tmp_path):
    cache = cache_with_files(
        tmp_path, {"paused.part": 500, "other.media": 300, "just-fetched.media": 600}, max_bytes=100
    )
    removed = cache.trim(keep=cache.folder / "just-fetched.media")
    assert [p.name for p in removed] == ["other.media"]
    assert (cache.folder / "just-fetched.media").exists() and (cache.folder / "paused.part").exists()


def test_within_budget_nothing_goes_and_clear_empties_everything(tmp_path):
    cache = cache_with_files(tmp_path, {"a.media": 10, "b.part": 10}, max_bytes=1000)
    assert cache.trim() == []
    cache.clear()
    assert not cache.folder.exists()
    assert cache.trim() == []  # an absent folder is an empty cache
