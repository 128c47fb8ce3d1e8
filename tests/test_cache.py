"""The per-file cache: unchanged files are not read as YAML again; anything odd is ignored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from jwst_builds import cache, yamlparse
from jwst_builds.cli import cli


def validate(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "validate", *args])
    return result.exit_code, result.stdout


def cache_file(root: Path) -> Path:
    return root / ".jwst-builds-cache" / "files-v1"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed as YAML, in order (the cache's whole point is to skip them)."""
    seen: list[str] = []
    real = yamlparse.parse_text

    def counting(text: str, shown: str) -> object:
        seen.append(shown)
        return real(text, shown)

    monkeypatch.setattr(yamlparse, "parse_text", counting)
    return seen


def test_a_second_run_reads_no_yaml(base_root: Path, parses: list[str]) -> None:
    assert validate(base_root) == (0, "")
    assert "builds/1.0.yaml" in parses and "sources.yaml" in parses
    parses.clear()
    assert validate(base_root) == (0, "")
    assert parses == []


def test_only_the_changed_file_is_read_again(base_root: Path, parses: list[str]) -> None:
    validate(base_root)
    parses.clear()
    build = base_root / "builds" / "1.0.yaml"
    build.write_text(build.read_text(encoding="utf-8").replace("status:", "statu:", 1))
    code, out = validate(base_root)
    assert parses == ["builds/1.0.yaml"]
    assert code == 1 and "builds/1.0.yaml:" in out and "unknown field 'statu'" in out


def test_problems_come_back_from_the_cache_unchanged(base_root: Path, parses: list[str]) -> None:
    build = base_root / "builds" / "1.0.yaml"
    build.write_text(build.read_text(encoding="utf-8").replace("status:", "statu:", 1))
    first = validate(base_root)
    parses.clear()
    assert validate(base_root) == first
    assert parses == []
    assert validate(base_root, "--no-cache") == first


def test_a_schema_change_starts_afresh(base_root: Path, parses: list[str]) -> None:
    validate(base_root)
    parses.clear()
    schema = base_root / "schema" / "build.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n")  # same schema, other bytes
    assert validate(base_root) == (0, "")
    assert "builds/1.0.yaml" in parses


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a cache", b"\x00" * 40, None],
    ids=["empty", "garbage", "zeros", "truncated"],
)
def test_a_damaged_cache_is_ignored_and_replaced(
    base_root: Path, parses: list[str], damage: bytes | None
) -> None:
    validate(base_root)
    blob = cache_file(base_root).read_bytes()
    cache_file(base_root).write_bytes(blob[: len(blob) // 2] if damage is None else damage)
    parses.clear()
    assert validate(base_root) == (0, "")
    assert "builds/1.0.yaml" in parses
    assert cache_file(base_root).read_bytes() == blob


def test_no_cache_neither_reads_nor_writes(base_root: Path) -> None:
    """A cache that lies is trusted by a normal run and ignored by --no-cache."""
    build = base_root / "builds" / "1.0.yaml"
    build.write_text(build.read_text(encoding="utf-8").replace("status:", "statu:", 1))
    assert validate(base_root, "--no-cache")[0] == 1
    assert not (base_root / ".jwst-builds-cache").exists()
    store = cache.Cache(base_root)
    for path in [base_root / "sources.yaml", *sorted((base_root / "builds").glob("*.yaml"))]:
        name = path.relative_to(base_root).as_posix()
        store.put(name, cache.digest(path.read_bytes()), cache.Result({"lie": True}, []))
    store.save()
    assert validate(base_root, "--no-cache")[0] == 1


def test_entries_of_removed_files_are_dropped(base_root: Path) -> None:
    validate(base_root)
    build = base_root / "builds" / "1.0.yaml"
    key = cache.digest(build.read_bytes())
    assert cache.Cache(base_root).get("builds/1.0.yaml", key) is not None
    moved = build.read_bytes()
    build.unlink()
    validate(base_root)
    assert cache.Cache(base_root).get("builds/1.0.yaml", key) is None
    build.write_bytes(moved)


def test_the_folder_ignores_itself_and_says_what_it_is(base_root: Path) -> None:
    validate(base_root)
    folder = base_root / ".jwst-builds-cache"
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text(encoding="utf-8")
        .startswith(
            "Signature: 8a477f597d28d172789f06886806bc55"  # the Cache Directory Tagging spec
        )
    )


def test_the_cache_can_live_elsewhere(
    base_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JWST_BUILDS_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert validate(base_root) == (0, "")
    assert (tmp_path / "elsewhere" / "files-v1").is_file()
    assert not (base_root / ".jwst-builds-cache").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only folder")
def test_a_cache_that_cannot_be_written_is_not_an_error(base_root: Path) -> None:
    folder = base_root / ".jwst-builds-cache"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert validate(base_root) == (0, "")
        assert not cache_file(base_root).exists()
    finally:
        folder.chmod(0o700)


def test_a_cache_path_that_is_a_file_is_not_an_error(base_root: Path) -> None:
    """Works for root too: nothing can be made under a file."""
    (base_root / ".jwst-builds-cache").write_text("in the way\n", encoding="utf-8")
    assert validate(base_root) == (0, "")
    assert (base_root / ".jwst-builds-cache").read_text(encoding="utf-8") == "in the way\n"


def test_jobs_must_be_a_count(base_root: Path) -> None:
    code, _ = validate(base_root, "--jobs", "-1")
    assert code == 2


def test_a_pool_of_processes_finds_what_one_process_finds(
    base_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big trees are split over processes; the problems and the cache are the same."""
    from jwst_builds import dataset

    build = base_root / "builds" / "1.0.yaml"
    build.write_text(build.read_text(encoding="utf-8").replace("status:", "statu:", 1))
    (base_root / "builds" / "2.0.yaml").write_bytes(b"id: [unclosed\n")
    one = validate(base_root, "--no-cache", "--jobs", "1")
    monkeypatch.setattr(dataset, "_PARALLEL_FROM", 2)
    assert validate(base_root, "--jobs", "2") == one
    assert one[0] == 1 and "builds/2.0.yaml:2:1: did not find expected" in one[1]
    monkeypatch.setattr(dataset, "_PARALLEL_FROM", 10_000)
    assert validate(base_root, "--jobs", "1") == one  # answered from what the pool cached
