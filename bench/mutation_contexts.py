"""pytest plugin for bench/mutation.py: record coverage under each test's node ID, so a line maps to the tests
that execute it (setup, call and teardown alike)."""

from __future__ import annotations

import coverage
import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    cov = coverage.Coverage.current()
    if cov is not None:
        cov.switch_context(item.nodeid)
    yield
    if cov is not None:
        cov.switch_context("")
