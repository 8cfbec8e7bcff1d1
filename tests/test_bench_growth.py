"""``lnsym bench --growth``: the exponent fit on synthetic data, and the table/JSON shape on the smallest sizes."""

from __future__ import annotations

import json

import pytest

from benchmarks import growth
from benchmarks.growth import Growth, Point, fit, fit_exponent, run_workload, table, to_json


def test_fit_exponent_recovers_power_laws() -> None:
    sizes = [1, 4, 16, 64]
    assert fit_exponent(sizes, [3.0 * n for n in sizes]) == pytest.approx(1.0)
    assert fit_exponent(sizes, [0.5 * n**2 for n in sizes]) == pytest.approx(2.0)
    assert fit_exponent(sizes, [7.0 for _ in sizes]) == pytest.approx(0.0)
    assert fit_exponent([1], [2.0]) is None
    assert fit_exponent([4, 4], [1.0, 2.0]) is None


def test_goal_and_table_on_synthetic_points() -> None:
    linear = Growth("lin", [Point("lin", n, "proved", cpu_seconds=0.1 * n, maxrss_mb=50.0 + n) for n in (1, 4, 16)])
    square = Growth("sq", [Point("sq", n, "proved", cpu_seconds=0.1 * n * n, maxrss_mb=50.0) for n in (1, 4)],
                    skipped=[16])
    fit(linear)
    fit(square)
    assert linear.goal_met and not square.goal_met
    text = table([linear, square], 600)
    assert "lin: exponent 1.00 (verify CPU time)" in text and "goal <= 1.2 met" in text
    assert linear.tail_time_exponent == pytest.approx(1.0) and square.tail_time_exponent == pytest.approx(2.0)
    assert "sq: exponent 2.00" in text and "goal <= 1.2 NOT met" in text
    assert "skipped n = 16" in text
    data = json.loads(json.dumps(to_json([linear, square], 600)))
    assert [w["goal_met"] for w in data["workloads"]] == [True, False]
    assert data["workloads"][1]["skipped"] == [16]


@pytest.mark.parametrize("workload", list(growth.WORKLOADS))
def test_smallest_size_in_a_subprocess(workload: str) -> None:
    g = run_workload(workload, (1,), cap_s=300, report=False)
    (p,) = g.points
    assert p.verdict == "proved", p.detail
    assert p.cpu_seconds and p.verify_cpu_seconds and p.maxrss_mb and p.maxrss_mb > 1
    assert g.time_exponent is None  # one size: nothing to fit
    data = to_json([g], 300)
    assert set(data["workloads"][0]["points"][0]) >= {"n", "cpu_seconds", "maxrss_mb", "verdict"}
    assert "not fitted" in table([g], 300)


def test_cap_skips_the_larger_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(workload: str, n: int, cap_s: float, mem_cap_mb: int) -> Point:
        return Point(workload, n, "proved", cpu_seconds=10.0 * n, maxrss_mb=100.0)

    monkeypatch.setattr(growth, "measure", fake)
    g = run_workload("w", (1, 4, 16, 64), cap_s=30, report=False)
    assert [p.n for p in g.points] == [1, 4] and g.skipped == [16, 64]
