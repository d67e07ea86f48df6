"""Run every benchmark: ``python -m bench [name …]``."""

from __future__ import annotations

import importlib
import sys

BENCHES = ["registry_scale", "dashboard_scale", "imports_scale", "page_costs"]


def main() -> None:
    names = sys.argv[1:] or BENCHES
    for name in names:
        importlib.import_module(f"bench.{name}").main()


if __name__ == "__main__":
    main()
