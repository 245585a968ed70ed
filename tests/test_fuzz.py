"""The short seeded fuzz run of the normal suite (tests/fuzz.py; `python3 tasks.py fuzz` runs
longer with fresh seeds). Every mutated input must end in a value or a GoalkeeperError, within
the time bound; a failure prints the target and seed that replay it."""

from __future__ import annotations

import pytest

from . import fuzz

#: inputs per target in the normal suite: the whole run stays well under a minute
SEEDS = {"documents": 12, "config": 40, "minutes": 25, "feeds": 25, "import": 40, "teams": 40,
         "tree": 8}


@pytest.mark.parametrize("target", fuzz.TARGETS, ids=lambda t: t.name)
def test_fuzz_seeded(target: fuzz.Target) -> None:
    failures = [f for seed in range(SEEDS[target.name]) if (f := fuzz.run_one(target, seed))]
    assert not failures, "\n\n".join(f"{f.target} seed {f.seed}:\n{f.why}" for f in failures[:3])


def test_every_target_has_seeds_in_the_suite() -> None:
    assert set(SEEDS) == set(fuzz.TARGETS_BY_NAME)
