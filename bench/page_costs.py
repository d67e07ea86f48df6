"""What each request of the load test's mix costs alone, and what throughput two cores could give.

``make load`` (bench/load_run.py) drives 200 users for 10 minutes against the target of a p95
under 300 ms at about 60 requests a second on two cores. Whether that is reachable depends first
on what one request costs when nothing else runs: this benchmark times each kind of request of the
mix (bench/locustfile.py) once at a time through Django's test client on the million-person
database of the load test (``WUSHE_BENCH_DATABASE_URL``, loaded by bench/registry_scale.py and
bench/service_records.py, its plan in ``var/load/plan-full.json``): the median of seven after a
warm-up, its CPU time in this process (Python: views, templates, ORM) and the rest (waiting for
PostgreSQL, whose work is CPU on the other core). It then weighs them by the mix's shares and
prints the throughput two cores could reach at best (every core busy, no waiting, no contention)
against the 60 requests a second the target needs. Run: ``python -m bench page_costs`` (after
``make load`` has written the plan).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.registry_scale import _setup_django

PLAN = Path(__file__).resolve().parent.parent / "var" / "load" / "plan-full.json"
CORES = 2
TARGET_RATE = 60.0  # requests a second: 200 users waiting 1–5 s between requests


def _measure(fn: Callable[[], Any], repeat: int = 7) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``fn`` (after one warm-up call)."""
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - w0)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    if not PLAN.exists():
        print(f"\npage costs: skipped — no load plan at {PLAN} (`make load` writes it)")
        return
    _setup_django()
    from django.test import Client, override_settings
    from django.utils import timezone

    from wushe.accounts.models import User

    plan = json.loads(PLAN.read_text())
    rng = random.Random(7)
    worker_plan = plan["workers"][0]
    worker = User.objects.get(username=worker_plan["username"])
    admin = User.objects.get(username=plan["admins"][0]["username"])
    street = plan["admins"][0]["region"]
    as_worker, as_admin = Client(), Client()
    as_worker.force_login(worker)
    as_admin.force_login(admin)
    api = Client(headers={"authorization": f"Bearer {plan['api']['token']}"})

    def get(client: Client, url: str, **params: Any) -> Callable[[], Any]:
        def call() -> None:
            response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)

        return call

    persons, households = worker_plan["persons"], worker_plan["households"]
    # (name, its share of the mix: how many of the 6,300 requests of the full run of 2026-12-07
    # were of its kind — searches by initials and visit posts counted with their look-alikes;
    # sign-ins and exports left out — and the request)
    cases: list[tuple[str, float, Callable[[], Any]]] = [
        ("page: home", 616, get(as_worker, "/")),
        (
            "page: search by name",
            1008,
            get(as_worker, "/registry/persons/", q=rng.choice(worker_plan["names"])),
        ),
        ("page: person", 818, get(as_worker, f"/registry/persons/{rng.choice(persons)}/")),
        ("page: household", 611, get(as_worker, f"/registry/households/{rng.choice(households)}/")),
        (
            "page: record a visit (form)",
            404,
            get(as_worker, f"/visits/new/?household={rng.choice(households)}"),
        ),
        ("page: person list", 433, get(as_worker, "/registry/persons/")),
        ("page: dashboard (counted live)", 0, get(as_admin, "/reports/", region=street)),
        ("page: drill-down", 160, get(as_admin, "/reports/drill/persons/", region=street)),
        ("api: persons", 477, get(api, "/api/v1/persons", limit=50)),
        ("api: person", 513, get(api, f"/api/v1/persons/{rng.choice(plan['api']['persons'])}")),
        ("api: visits", 507, get(api, "/api/v1/visits", limit=50)),
    ]
    print(f"\nthe load test's requests alone — {timezone.localdate()}, the million-person database")
    print(f"{'request':<36}{'ms':>9}{'CPU ms':>9}{'other ms':>10}")
    costs: dict[str, float] = {}
    shares: dict[str, float] = {}
    for name, share, fn in cases:
        wall, cpu = _measure(fn)
        costs[name], shares[name] = wall, share
        print(f"{name:<36}{wall * 1000:9.1f}{cpu * 1000:9.1f}{(wall - cpu) * 1000:10.1f}")
    with override_settings(WUSHE_FIGURES_MAX_AGE=300):  # as make serve runs (the mix's dashboards)
        wall, cpu = _measure(get(as_admin, "/reports/", region=street))
    name = "page: dashboard (stored figures)"
    costs[name], shares[name] = wall, 386  # the dashboards and large screens of the run
    print(f"{name:<36}{wall * 1000:9.1f}{cpu * 1000:9.1f}{(wall - cpu) * 1000:10.1f}")
    weighted = sum(costs[n] * shares[n] for n in costs) / sum(shares.values())
    best = CORES / weighted
    print(f"\nmix-weighted cost of a request: {weighted * 1000:.0f} ms (Python and PostgreSQL together)")
    print(
        f"at best {CORES} cores serve {best:.1f} requests a second; the load target needs {TARGET_RATE:.0f}"
    )
    print(
        f"→ {'reachable' if best >= TARGET_RATE else f'not reachable: {TARGET_RATE / best:.1f}× the cores or {TARGET_RATE / best:.1f}× cheaper requests'}"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
