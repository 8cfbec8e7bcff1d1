"""Campaigns on a real Dask cluster: a scheduler and two workers started on localhost as separate processes, the
way a user starts them by hand (``dask scheduler``, ``dask worker``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lnsym.cli.main import main

distributed = pytest.importorskip("distributed")
PROGRAMS = Path(__file__).resolve().parent.parent / "programs"


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    dask = shutil.which("dask") or str(Path(sys.executable).with_name("dask"))
    if not Path(dask).exists():
        pytest.skip("the dask command is not installed")
    folder = tmp_path_factory.mktemp("cluster")
    address_file = folder / "scheduler.json"
    env = dict(os.environ, DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="0")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env, "cwd": folder}
    procs = [subprocess.Popen([dask, "scheduler", "--scheduler-file", str(address_file), "--port", "0",
                               "--dashboard-address", ":0"], **quiet)]
    try:
        for _ in range(300):
            if address_file.exists() and address_file.stat().st_size:
                break
            time.sleep(0.1)
        for _ in range(2):
            procs.append(subprocess.Popen([dask, "worker", "--scheduler-file", str(address_file), "--nthreads", "1",
                                           "--nworkers", "1", "--dashboard-address", ":0"], **quiet))
        address = json.loads(address_file.read_text())["address"]
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            proc.wait(30)


def _verdicts(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, str]]:
    code = main(argv)
    rows = json.loads(capsys.readouterr().out)
    return code, {r["contract"]: r["verdict"] for r in rows}


def test_verify_on_two_workers_gives_the_verdicts_of_one_process(scheduler: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    targets = [str(PROGRAMS / name) for name in ("crc32c.py", "sha256_block_ce.py", "aes128_encrypt_ce.py")]
    here = _verdicts(["verify", "--json", *targets], capsys)
    there = _verdicts(["verify", "--json", "--scheduler", scheduler, *targets], capsys)
    assert here == there and here[0] == 0 and len(here[1]) == 3, (here, there)


def test_recheck_and_replay_and_mutate_run_on_the_cluster(scheduler: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("bitwuzla")
    code, rows = _verdicts(["verify", "--json", "--scheduler", scheduler, "--recheck", "bitwuzla",
                            str(PROGRAMS / "sha256_block_ce.py")], capsys)
    assert code == 0 and rows == {"sha256_block_ce": "proved"}
    assert main(["mutate", str(PROGRAMS / "crc32c.py"), "--count", "3", "--scheduler", scheduler]) == 0
    assert "killed" in capsys.readouterr().out


def test_a_dead_worker_or_an_overrun_is_that_item_unknown_never_lost(scheduler: str) -> None:
    from lnsym.cluster.engine import Engine

    # lambdas travel by value (the workers cannot import a test module)
    die_on_two = lambda x: os._exit(1) if x == 2 else x * x  # noqa: E731 (the worker process dies mid-task)
    sleep_on_three = lambda x: time.sleep(60) if x == 3 else x + 1  # noqa: E731
    seen: list[int] = []
    with Engine(scheduler) as engine:
        out = engine.map_ordered(die_on_two, list(range(5)), failed=lambda item, why: f"unknown: {why}",
                                 on_done=lambda k, _r: seen.append(k))
        # the killer is unknown; a task queued on the same worker may be too (it was assigned there when the
        # worker died); every other comes back right: none lost, none wrong, none counted as done when it was not
        assert out[2].startswith("unknown: its worker died"), out
        assert all(r == k * k or str(r).startswith("unknown: its worker died") for k, r in enumerate(out)), out
        assert sum(r == k * k for k, r in enumerate(out)) >= 2, out
        assert sorted(seen) == [0, 1, 2, 3, 4]
        engine.client.wait_for_workers(2, timeout=120)  # the dead worker's nanny restarts it
        start = time.perf_counter()
        out = engine.map_ordered(sleep_on_three, [1, 2, 3], failed=lambda item, why: f"unknown: {why}",
                                 budget=1.0, grace=1.0)
        assert out[:2] == [2, 3] and out[2].startswith("unknown: ran past its budget"), out
        assert time.perf_counter() - start < 30
