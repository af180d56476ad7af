"""What every benchmark here shares: timing contenders alike, and printing the table.

Contenders are timed in interleaved rounds (each round runs every contender once), and
the median round counts, so a slow spell of the machine hits all of them alike.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable

REPEATS = 7

#: name -> (function, calls per round)
Contenders = dict[str, tuple[Callable[[], object], int]]
#: (case, peer, peer seconds, our seconds, target ratio or 0 for none, target text)
Row = tuple[str, str, float, float, float, str]


def per_call(
    contenders: Contenders, clock: Callable[[], float] = time.perf_counter
) -> dict[str, float]:
    """Seconds per call of each contender by ``clock`` (wall time unless told otherwise)."""
    for fn, calls in contenders.values():
        for _ in range(max(2, calls // 10)):
            fn()
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(REPEATS):
        for name, (fn, calls) in contenders.items():
            start = clock()
            for _ in range(calls):
                fn()
            samples[name].append((clock() - start) / calls)
    return {name: statistics.median(values) for name, values in samples.items()}


def _threaded(fn: Callable[[], object], calls: int, threads: int) -> float:
    def worker() -> None:
        for _ in range(calls):
            fn()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    start = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return (time.perf_counter() - start) / (threads * calls)


def one_and_two_threads(contenders: Contenders) -> dict[str, tuple[float, float]]:
    """Wall seconds per call with one thread, then with two, for each contender.

    Here a contender's call count is per thread. Each round runs every contender with
    one thread and then two.
    """
    samples: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in contenders}
    for _ in range(REPEATS):
        for name, (fn, calls) in contenders.items():
            samples[name][0].append(_threaded(fn, calls, 1))
            samples[name][1].append(_threaded(fn, calls, 2))
    return {
        name: (statistics.median(one), statistics.median(two))
        for name, (one, two) in samples.items()
    }


def fmt(seconds: float) -> str:
    """A duration in the unit that reads best."""
    return f"{seconds * 1e6:.1f} us" if seconds < 1e-3 else f"{seconds * 1e3:.2f} ms"


def print_table(rows: list[Row]) -> None:
    """The benchmark's markdown table; ratio = peer time / our time (above 1: we are faster)."""
    print("| case | peer | peer time | ours | ratio (peer/ours) | target | met |")
    print("|---|---|---|---|---|---|---|")
    for case, peer, peer_time, our_time, target, target_text in rows:
        ratio = peer_time / our_time
        met = "-" if not target else "yes" if ratio >= target else "NO"
        print(
            f"| {case} | {peer} | {fmt(peer_time)} | {fmt(our_time)} | {ratio:.2f}x | "
            f"{target_text} | {met} |"
        )
