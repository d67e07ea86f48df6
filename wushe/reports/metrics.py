"""The metric registry: every figure wushe shows is defined here once.

A metric has a key (``ledger.red``), a Chinese label with English translation, a unit, a
one-line definition, and a function that computes its value for a :class:`Scope` (a region, the
user whose scope applies — ``None`` for the operator's command line — and an optional
period). Apps register their metrics in their own ``metrics.py`` with :func:`metric`; metrics
that come as a family (one per tag) register with :func:`metric_family`. The home page, the
API's ``/stats``, the ``stats`` command and the reports all call :func:`compute`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from wushe.core.models import Region

Number = int | float | Decimal
Q = TypeVar("Q", bound=Model)


@dataclass
class Scope:
    region: Region
    user: Any = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def of(self, qs: QuerySet[Q]) -> QuerySet[Q]:
        """``qs`` narrowed to the user's scope and to the region's subtree."""
        if self.user is not None:
            qs = qs.visible_to(self.user)  # type: ignore[attr-defined]
        return qs.in_region(self.region)  # type: ignore[attr-defined,no-any-return]

    def memo(self, key: str, fn: Callable[[], Any]) -> Any:
        """Share one query among the metrics that read from it (the ledger colours)."""
        if key not in self._memo:
            self._memo[key] = fn()
        return self._memo[key]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    unit: str | Promise
    definition: str | Promise
    compute: Callable[[Scope], Number]


@dataclass(frozen=True)
class MetricFamily:
    prefix: str
    label: str | Promise
    unit: str | Promise
    definition: str | Promise
    compute: Callable[[Scope], dict[str, tuple[str, Number]]]  # suffix -> (label, value)


REGISTRY: dict[str, Metric] = {}
FAMILIES: dict[str, MetricFamily] = {}


def metric(
    key: str, *, label: str | Promise, unit: str | Promise, definition: str | Promise
) -> Callable[[Callable[[Scope], Number]], Callable[[Scope], Number]]:
    def register(fn: Callable[[Scope], Number]) -> Callable[[Scope], Number]:
        if key in REGISTRY:
            raise ValueError(f"metric {key} registered twice")
        REGISTRY[key] = Metric(key=key, label=label, unit=unit, definition=definition, compute=fn)
        return fn

    return register


def metric_family(
    prefix: str, *, label: str | Promise, unit: str | Promise, definition: str | Promise
) -> Callable[[Callable[[Scope], dict[str, tuple[str, Number]]]], Any]:
    def register(fn: Callable[[Scope], dict[str, tuple[str, Number]]]) -> Any:
        FAMILIES[prefix] = MetricFamily(
            prefix=prefix, label=label, unit=unit, definition=definition, compute=fn
        )
        return fn

    return register


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    value: Number


def compute(scope: Scope, keys: Iterable[str] | None = None) -> dict[str, Figure]:
    """Figures for the scope, in registry order; ``keys`` limits them (unknown keys: KeyError)."""
    wanted = list(keys) if keys is not None else None
    out: dict[str, Figure] = {}
    for key, m in REGISTRY.items():
        if wanted is None or key in wanted:
            out[key] = Figure(key=key, label=str(m.label), unit=str(m.unit), value=m.compute(scope))
    for prefix, fam in FAMILIES.items():
        if wanted is None or any(k.startswith(prefix + ".") for k in wanted):
            for suffix, (label, value) in fam.compute(scope).items():
                key = f"{prefix}.{suffix}"
                if wanted is None or key in wanted:
                    out[key] = Figure(key=key, label=f"{fam.label}·{label}", unit=str(fam.unit), value=value)
    if wanted is not None:
        missing = [k for k in wanted if k not in out]
        if missing:
            raise KeyError(", ".join(missing))
    return out


def as_json_values(figures: dict[str, Figure]) -> dict[str, Any]:
    return {k: (float(f.value) if isinstance(f.value, Decimal) else f.value) for k, f in figures.items()}
