"""``--fail-on`` rules: ``metric<value`` (or ``<=``, ``>``, ``>=``), comma-separated, over
the JSON summary's whole-flow figures (``p50_ms``, ``p95_ms``, ``p99_ms``, ``error_rate``,
``rate_per_s``, ``logins_per_s``, ``successes``, ``failures``, ``throttled``), or over one
step's with ``step name:metric`` (``count``, ``failures``, ``rps``, ``p50_ms``, ``p95_ms``,
``p99_ms``, ``error_rate``)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Rule", "broken_rules", "parse_rules"]

_RULE = re.compile(
    r"^\s*(?:(?P<step>[^:<>=]+?)\s*:\s*)?(?P<metric>[a-z0-9_]+)\s*"
    r"(?P<op><=|>=|<|>)\s*(?P<value>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$"
)
_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_TOTALS = frozenset(
    {
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "error_rate",
        "rate_per_s",
        "logins_per_s",
        "successes",
        "failures",
        "throttled",
    }
)
_STEP = frozenset({"count", "failures", "rps", "p50_ms", "p95_ms", "p99_ms", "error_rate"})


@dataclass(frozen=True)
class Rule:
    """One rule: ``metric`` (of ``step``, or of the whole flows) must compare to ``value``."""

    metric: str
    op: str
    value: float
    step: str | None = None

    def __str__(self) -> str:
        where = f"{self.step}:" if self.step else ""
        return f"{where}{self.metric}{self.op}{self.value:g}"


def parse_rules(text: str) -> list[Rule]:
    """The rules in ``text``; a ValueError names the first that cannot be read."""
    rules = []
    for part in text.split(","):
        match = _RULE.match(part)
        if match is None:
            raise ValueError(
                f"invalid --fail-on rule {part.strip()!r}: expected e.g. p95_ms<500 "
                "or error_rate<0.01"
            )
        step, metric = match.group("step"), match.group("metric")
        known = _STEP if step else _TOTALS
        if metric not in known:
            raise ValueError(
                f"unknown --fail-on metric {metric!r}; expected one of {', '.join(sorted(known))}"
            )
        rules.append(Rule(metric, match.group("op"), float(match.group("value")), step))
    return rules


def _actual(rule: Rule, summary: Mapping[str, Any]) -> float | None:
    if rule.step is None:
        value = summary.get(rule.metric)
        return float(value) if value is not None else None
    step = summary.get("steps", {}).get(rule.step)
    if step is None:
        return None
    if rule.metric == "error_rate":
        return step["failures"] / step["count"] if step["count"] else 0.0
    return float(step[rule.metric])


def broken_rules(rules: list[Rule], summary: Mapping[str, Any]) -> list[str]:
    """One line per rule the run broke (a rule about a step that never ran is broken)."""
    broken = []
    for rule in rules:
        actual = _actual(rule, summary)
        if actual is None:
            broken.append(f"{rule}: no such figure in this run")
        elif not _OPS[rule.op](actual, rule.value):
            broken.append(f"{rule}: was {actual:g}")
    return broken
