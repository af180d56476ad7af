"""Locks and worker threads for the asyncio API: what keeps tasks from doing one thing
twice, and blocking work off the event loop.

* :func:`off_loop` runs a blocking function (storage IO) in a worker thread;
* :class:`LoopLocks` hands out one asyncio lock per key and event loop, so the tasks of
  a loop can take turns (an asyncio lock belongs to one loop);
* :func:`holding` holds a thread lock from a task without blocking the loop, so tasks
  and threads (or tasks of other loops) take turns too.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from typing import TypeVar

__all__ = ["LoopLocks", "TaskGate", "holding", "off_loop"]

T = TypeVar("T")


async def off_loop(function: Callable[[], T]) -> T:
    """``function()`` in a worker thread (storage IO), so the event loop runs on."""
    return await asyncio.get_running_loop().run_in_executor(None, function)


class TaskGate:
    """The asyncio lock of one key on one event loop (see :class:`LoopLocks`)."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()


class LoopLocks:
    """One asyncio lock per key and event loop, alive while some task holds or waits
    for it (an asyncio lock belongs to one loop)."""

    def __init__(self) -> None:
        self._loops: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, weakref.WeakValueDictionary[Hashable, TaskGate]
        ] = weakref.WeakKeyDictionary()
        self._guard = threading.Lock()

    def gate(self, key: Hashable) -> TaskGate:
        """The gate of ``key`` on the running loop; hold on to it while using its lock."""
        loop = asyncio.get_running_loop()
        with self._guard:
            gates = self._loops.get(loop)
            if gates is None:
                gates = self._loops[loop] = weakref.WeakValueDictionary()
            gate = gates.get(key)
            if gate is None:
                gate = gates[key] = TaskGate()
            return gate


@asynccontextmanager
async def holding(lock: threading.Lock) -> AsyncIterator[None]:
    """Hold a thread lock from a task without blocking the event loop.

    When the lock is busy it is awaited in a worker thread. A task cancelled while
    waiting leaves a callback that releases the lock once that thread gets it, so the
    lock is never left held by nobody.
    """
    if not lock.acquire(blocking=False):
        acquiring = asyncio.get_running_loop().run_in_executor(None, lock.acquire)
        try:
            await asyncio.shield(acquiring)
        except asyncio.CancelledError:
            acquiring.add_done_callback(lambda done: _release_if_acquired(lock, done))
            raise
    try:
        yield
    finally:
        lock.release()


def _release_if_acquired(lock: threading.Lock, done: asyncio.Future[bool]) -> None:
    if not done.cancelled() and done.exception() is None and done.result():
        lock.release()
