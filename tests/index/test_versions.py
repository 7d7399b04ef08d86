from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tracer.errors import IndexNotFound, TracerError
from tracer.index.versions import IndexVersions, pid_alive

REPO = Path(__file__).resolve().parents[2]
MANIFEST = {"encoder_id": "test-enc", "dim": 4, "count": 1, "index_type": "exact"}


def build(v: IndexVersions, payload: str = "x", **extra) -> str:
    tmp = v.begin()
    (tmp / "data.bin").write_text(payload)
    (tmp / "sub").mkdir()
    (tmp / "sub" / "more.txt").write_text(payload * 2)
    return v.commit(tmp, {**MANIFEST, **extra})


def run_child(code: str, **kw) -> subprocess.Popen:
    prelude = f"import sys; sys.path.insert(0, {str(REPO)!r})\n"
    return subprocess.Popen([sys.executable, "-c", prelude + textwrap.dedent(code)], text=True, **kw)


def dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_empty_root(tmp_path: Path):
    v = IndexVersions(tmp_path / "idx")
    assert v.current() is None and v.list_versions() == []
    with pytest.raises(IndexNotFound):
        v.manifest()
    assert v.prune() == []
    assert v.recover().current is None


def test_commit_and_switch(tmp_path: Path):
    v = IndexVersions(tmp_path)
    assert build(v, "one", note="first") == "v000001"
    name, path = v.current()
    assert name == "v000001" and (path / "data.bin").read_text() == "one"
    m = v.manifest()
    assert m["version"] == "v000001" and m["note"] == "first" and m["created_at"]
    assert {k: m[k] for k in MANIFEST} == MANIFEST
    assert m["files"] == {"data.bin": 3, "sub/more.txt": 6}
    assert (tmp_path / "CURRENT").read_text().strip() == "v000001"

    assert build(v, "two") == "v000002"
    assert v.current()[0] == "v000002"
    assert v.list_versions() == ["v000001", "v000002"]
    assert v.manifest("v000001")["version"] == "v000001"
    with pytest.raises(IndexNotFound):
        v.manifest("v000009")
    # nothing left behind
    assert sorted(p.name for p in (tmp_path / "versions").iterdir()) == ["v000001", "v000002"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CURRENT", "versions"]


def test_commit_checks(tmp_path: Path):
    v = IndexVersions(tmp_path)
    tmp = v.begin()
    with pytest.raises(ValueError, match="encoder_id"):
        v.commit(tmp, {"dim": 4})
    other = tmp_path / "elsewhere"
    other.mkdir()
    with pytest.raises(ValueError):
        v.commit(other, MANIFEST)
    v.abort(tmp)
    assert not tmp.exists()


def test_prune_keeps_newest_and_current(tmp_path: Path):
    v = IndexVersions(tmp_path)
    for i in range(5):
        build(v, str(i))
    assert v.prune(keep=2) == ["v000001", "v000002", "v000003"]
    assert v.list_versions() == ["v000004", "v000005"]
    # roll back to an old version: prune must not remove it
    build(v)
    build(v)  # v000007
    (tmp_path / "CURRENT").write_text("v000004\n")
    assert v.prune(keep=1) == ["v000005", "v000006"]
    assert v.list_versions() == ["v000004", "v000007"] and v.current()[0] == "v000004"
    # numbering continues after the highest version ever kept
    assert build(v) == "v000008"
    with pytest.raises(ValueError):
        v.prune(keep=0)


def test_recover(tmp_path: Path):
    v = IndexVersions(tmp_path)
    build(v, "a")
    build(v, "b")
    vd = tmp_path / "versions"
    stale = vd / f".tmp-{dead_pid()}-123"
    stale.mkdir()
    (stale / "half.bin").write_text("partial")
    mine = v.begin()  # our own build in progress: kept
    alive = vd / f".tmp-{os.getppid()}-5"  # a live process's build: kept
    alive.mkdir()
    trash = vd / f".trash-v000000-{dead_pid()}"
    trash.mkdir()
    ptr_tmp = tmp_path / f"CURRENT.{dead_pid()}.tmp"
    ptr_tmp.write_text("v000001")
    # CURRENT points at a version that disappeared
    (tmp_path / "CURRENT").write_text("v000002\n")
    os.rename(vd / "v000002", vd / "elsewhere")
    assert v.current()[0] == "v000001"  # readers fall back without writing
    report = v.recover()
    assert sorted(report.removed) == sorted([stale.name, trash.name, ptr_tmp.name])
    assert report.repointed and report.current == "v000001"
    assert (tmp_path / "CURRENT").read_text().strip() == "v000001"
    assert mine.exists() and alive.exists() and not stale.exists()
    again = v.recover()
    assert again.removed == () and not again.repointed


def test_recover_garbage_pointer(tmp_path: Path):
    v = IndexVersions(tmp_path)
    build(v)
    (tmp_path / "CURRENT").write_text("../../etc\n")
    assert v.current()[0] == "v000001"
    assert v.recover().repointed
    assert (tmp_path / "CURRENT").read_text() == "v000001\n"


CRASH_CHILD = """
import os, signal
from pathlib import Path
import tracer.index.versions as vm
point = {point!r}
v = vm.IndexVersions(Path({root!r}))
tmp = v.begin()
(tmp / "data.bin").write_text("new")
die = lambda: os.kill(os.getpid(), signal.SIGKILL)
if point == "building":
    die()
real_rename, real_replace = os.rename, os.replace
def rename(a, b):
    if point == "before_rename":
        die()
    real_rename(a, b)
    if point == "after_rename":
        die()
def replace(a, b):
    if point == "before_switch":
        die()
    real_replace(a, b)
vm.os.rename, vm.os.replace = rename, replace
v.commit(tmp, {manifest!r})
"""


@pytest.mark.parametrize("point", ["building", "before_rename", "after_rename", "before_switch"])
def test_kill_mid_commit_keeps_previous_version(tmp_path: Path, point: str):
    v = IndexVersions(tmp_path)
    build(v, "old")
    child = run_child(CRASH_CHILD.format(point=point, root=str(tmp_path), manifest=MANIFEST))
    assert child.wait(timeout=30) == -9
    name, path = v.current()
    assert name == "v000001" and (path / "data.bin").read_text() == "old"
    report = v.recover()
    assert report.current == "v000001" and not report.repointed
    leftovers = [p.name for p in (tmp_path / "versions").iterdir() if p.name.startswith(".")]
    leftovers += [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    # the next build publishes normally
    new = build(v, "next")
    assert v.current()[0] == new and (v.current()[1] / "data.bin").read_text() == "next"


LOCK_CHILD = """
import sys, time, os, signal
from pathlib import Path
from tracer.index.versions import IndexVersions
with IndexVersions(Path({root!r})).lock():
    print("locked", flush=True)
    if {suicide!r}:
        os.kill(os.getpid(), signal.SIGKILL)
    sys.stdin.readline()
print("released", flush=True)
"""


def test_live_lock_refused(tmp_path: Path):
    v = IndexVersions(tmp_path)
    child = run_child(LOCK_CHILD.format(root=str(tmp_path), suicide=False),
                      stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline().strip() == "locked"
        with pytest.raises(TracerError, match=rf"another rebuild is running \(pid {child.pid}, started .+\)"):
            with v.lock():
                pass
        holder = v.lock_holder()
        assert holder is not None and holder.pid == child.pid
        # waiting with a timeout succeeds once the holder lets go
        child.stdin.write("\n")
        child.stdin.flush()
        with v.lock(timeout=20) as info:
            assert info.pid == os.getpid()
        assert child.stdout.readline().strip() == "released"
    finally:
        child.kill()
        child.wait()


def test_lock_of_killed_process_is_stale(tmp_path: Path):
    v = IndexVersions(tmp_path)
    child = run_child(LOCK_CHILD.format(root=str(tmp_path), suicide=True), stdout=subprocess.PIPE)
    assert child.stdout.readline().strip() == "locked"
    assert child.wait(timeout=30) == -9
    left = json.loads((tmp_path / "rebuild.lock").read_text())
    assert left["pid"] == child.pid and not pid_alive(child.pid)
    assert v.lock_holder() is None
    with v.lock() as info:
        assert info.pid == os.getpid()
        assert json.loads((tmp_path / "rebuild.lock").read_text())["pid"] == os.getpid()
        assert v.lock_holder().pid == os.getpid()
    assert v.lock_holder() is None
    assert (tmp_path / "rebuild.lock").read_text() == ""  # released: no holder recorded


def test_stale_lock_file_with_dead_pid(tmp_path: Path):
    v = IndexVersions(tmp_path)
    (tmp_path / "rebuild.lock").write_text(json.dumps({"pid": dead_pid(), "hostname": "h", "started_at": "t"}))
    with v.lock():
        pass


def test_lock_not_reentrant_in_process(tmp_path: Path):
    import threading

    v = IndexVersions(tmp_path)
    with v.lock():
        with pytest.raises(TracerError, match=f"pid {os.getpid()}"):
            with IndexVersions(tmp_path).lock():
                pass
        errors: list[Exception] = []

        def other_thread() -> None:
            try:
                with v.lock():
                    pass
            except TracerError as e:
                errors.append(e)

        t = threading.Thread(target=other_thread)
        t.start()
        t.join()
        assert len(errors) == 1
        assert v.lock_holder().pid == os.getpid()  # the refused attempts did not release it
    assert v.lock_holder() is None
