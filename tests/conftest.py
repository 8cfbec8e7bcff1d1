"""Shared pytest configuration: the ``campaign`` marker gates slow exhaustive runs."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from bitvec.term import tune_gc

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
tune_gc()  # as the lnsym command does: terms form no cycles, the default collector thresholds waste time


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--campaign", action="store_true", help="run slow exhaustive campaigns")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--campaign"):
        return
    skip = pytest.mark.skip(reason="campaign: run with --campaign")
    for item in items:
        if "campaign" in item.keywords:
            item.add_marker(skip)


# Campaign tests report their counts with ``record_property("counts", text)``; the counts are printed at the end
# of the run (also under pytest-xdist, whose workers' stdout is not shown).
_COUNTS: list[tuple[str, str]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _COUNTS.extend((report.nodeid, str(value)) for name, value in report.user_properties if name == "counts")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _COUNTS:
        terminalreporter.section("campaign counts")
        for nodeid, text in _COUNTS:
            terminalreporter.write_line(f"{nodeid.split('::')[-1]}: {text}")
