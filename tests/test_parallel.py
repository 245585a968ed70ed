"""goalkeeper.parallel: a map shared with forked children gives what `map` gives, in order,
and an item a child cannot make is made (or fails) in the calling process."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from goalkeeper.parallel import AHEAD, MAX_JOBS, MIN_ITEMS, forked_map, jobs_wanted

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="children are forked on Linux only")

ITEMS = list(range(MIN_ITEMS * 3 + 1))


PARENT = os.getpid()


def where(i: int) -> tuple[int, int]:
    # this process is slow enough that every child, even on a busy machine, takes some
    time.sleep(0.02 if os.getpid() == PARENT else 0.001)
    return i, os.getpid()


def test_results_come_in_order_and_every_process_makes_some() -> None:
    for jobs in (2, 3):
        got = list(forked_map(where, ITEMS, jobs))
        assert [i for i, _ in got] == ITEMS
        theirs = {pid for _, pid in got if pid != os.getpid()}
        assert len(theirs) == jobs - 1
        for pid in theirs:  # every child was waited for
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)


def test_a_busy_child_leaves_its_share_to_this_process() -> None:
    parent = os.getpid()

    def slow_in_child(i: int) -> tuple[int, int]:
        if os.getpid() != parent:
            time.sleep(0.05)
        return i, os.getpid()

    got = list(forked_map(slow_in_child, ITEMS, 2))
    assert [i for i, _ in got] == ITEMS
    assert sum(pid == parent for _, pid in got) > len(ITEMS) / 2


def test_this_process_never_runs_far_ahead_of_the_item_it_waits_for() -> None:
    parent = os.getpid()
    most = [0]
    made_here: list[int] = []

    def stuck_child(i: int) -> int:
        if os.getpid() != parent:
            time.sleep(0.2)
        else:
            made_here.append(i)
        return i

    items = list(range(len(ITEMS) * 5))
    for n, x in enumerate(forked_map(stuck_child, items, 2)):
        assert x == n
        most[0] = max(most[0], len(made_here) - n)
    assert most[0] <= AHEAD + 1


def test_one_job_or_few_items_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    assert {pid for _, pid in forked_map(where, ITEMS[: MIN_ITEMS - 1], 2)} == {os.getpid()}
    monkeypatch.setenv("GOALKEEPER_JOBS", "1")
    assert jobs_wanted() == 1
    assert {pid for _, pid in forked_map(where, ITEMS)} == {os.getpid()}
    monkeypatch.setenv("GOALKEEPER_JOBS", "3")
    assert jobs_wanted() == 3


def fails_on_seven(i: int) -> int:
    if i == 7:
        raise ValueError(f"item {i} is bad")
    return i * i


def test_an_error_is_raised_here_as_it_would_be_without_children() -> None:
    got: list[int] = []
    with pytest.raises(ValueError, match="item 7 is bad"):
        for x in forked_map(fails_on_seven, ITEMS, 2):  # 7 is a child's item
            got.append(x)
    assert got == [i * i for i in range(7)]


def test_a_child_that_dies_leaves_its_items_to_this_process() -> None:
    parent = os.getpid()

    def dies_on_five(i: int) -> tuple[int, int]:
        if os.getpid() != parent and i >= 5:
            os._exit(3)  # a crash of the child alone, on the first item it takes from 5 on
        return i, os.getpid()

    got = list(forked_map(dies_on_five, ITEMS, 2))
    assert [i for i, _ in got] == ITEMS
    assert {i for i, pid in got if pid == parent} >= set(range(5, len(ITEMS)))


def test_a_result_that_cannot_be_sent_is_made_here() -> None:
    parent = os.getpid()

    def unpicklable_in_child(i: int) -> object:
        return (lambda: i) if os.getpid() != parent and i == 10 else i

    assert list(forked_map(unpicklable_in_child, ITEMS, 2)) == ITEMS


def test_stopping_early_ends_the_children(tmp_path: Path) -> None:
    def slow(i: int) -> int:
        (tmp_path / f"{os.getpid()}").touch()
        return i

    it = forked_map(slow, ITEMS * 20, 2)
    assert next(it) == 0
    it.close()
    for f in tmp_path.iterdir():
        if int(f.name) != os.getpid():
            with pytest.raises(ProcessLookupError):
                os.kill(int(f.name), 0)


def test_by_default_one_process_per_idle_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    from goalkeeper import parallel

    monkeypatch.delenv("GOALKEEPER_JOBS", raising=False)
    for cpus, others, jobs in [(2, 0, 2), (2, 1, 1), (2, 5, 1), (1, 0, 1), (8, 0, MAX_JOBS),
                               (8, 6, 2)]:
        monkeypatch.setattr(parallel, "_cpus", lambda cpus=cpus: cpus)
        monkeypatch.setattr(parallel, "_others_running", lambda others=others: others)
        assert jobs_wanted() == jobs, (cpus, others)
    monkeypatch.undo()
    assert 1 <= parallel._cpus() <= (os.cpu_count() or 1)
    assert parallel._others_running() >= 0


def test_a_worker_that_dies_while_claiming_leaves_the_claims_usable() -> None:
    from goalkeeper import parallel

    claims = parallel._Claims(10)
    try:
        pid = os.fork()
        if pid == 0:  # takes the lock and dies holding it
            claims._lockf(claims._lock, claims._exclusive)
            os._exit(0)
        os.waitpid(pid, 0)
        assert [claims.claim(0), claims.claim(1)] == [0, 1]  # (the kernel let the lock go)
        assert claims.owner(1) == 1 and claims.owner(2) is None
    finally:
        claims.close()
