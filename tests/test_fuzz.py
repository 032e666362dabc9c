"""Property: whatever one mutation does to the example report, `reportkit build` exits 0 or 2,
never with an internal error, names a file when it refuses, keeps the previous outputs byte
for byte, and stays within a time and memory limit (subprocess under resource.setrlimit).
The mutations are bench/fuzz.py's (which counts the same over many cases); hypothesis picks a
few seeds per run, bounded so the suite stays fast."""

from __future__ import annotations

import importlib.util
import random
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("rk_fuzz", REPO / "bench" / "fuzz.py")
fuzz = importlib.util.module_from_spec(_spec)
sys.modules["rk_fuzz"] = fuzz
_spec.loader.exec_module(fuzz)

CPU_SECONDS = 60  # CPU seconds per build (RLIMIT_CPU, not wall time: a loaded machine does not count); a hang runs into it
MEMORY_MB = 1536


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = fuzz.prepare(REPO)
    yield root
    shutil.rmtree(root.parent, ignore_errors=True)


@settings(max_examples=6, deadline=None, derandomize=True,  # CI runs the same cases; bench/fuzz.py explores
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_one_mutation_gives_exit_0_or_a_clear_error(built: Path, seed: int) -> None:
    outcome = fuzz.run_case(REPO, built, random.Random(seed), CPU_SECONDS, MEMORY_MB)
    what = f"{outcome.case.name}: exit {outcome.code}: {outcome.stderr[-300:]}"
    assert outcome.code is not None, "hung: " + what
    assert not outcome.wrong_exit, what
    assert not outcome.blew_up, what
    assert not outcome.accepted_bad, what
    assert not outcome.unnamed, what
    assert not outcome.outputs_changed, what
