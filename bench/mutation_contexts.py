"""pytest plugin for bench/mutation.py: record coverage under each test's node ID, so a line maps to the tests
that execute it (setup, call and teardown alike); and, when MUTATION_TIMES names a file, how long each test
file took to import and each test to run, so cheap tests can run first."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Generator

import coverage
import pytest

_times: dict[str, float] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, None, None]:
    started = time.perf_counter()
    yield
    if isinstance(collector, pytest.Module):
        _times[collector.nodeid] = time.perf_counter() - started


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    cov = coverage.Coverage.current()
    if cov is not None:
        cov.switch_context(item.nodeid)
    started = time.perf_counter()
    yield
    _times[item.nodeid] = time.perf_counter() - started
    if cov is not None:
        cov.switch_context("")


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = os.environ.get("MUTATION_TIMES")
    if path:
        with open(path, "w") as f:
            json.dump(_times, f)
