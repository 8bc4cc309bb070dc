"""Threads adding to one counter through a lock or an atomic: the count is exact."""

import importlib

from harness.support import sample_of

SAMPLE = sample_of(__file__)


def test_python_lock_keeps_every_update(monkeypatch):
    monkeypatch.syspath_prepend(str(SAMPLE))
    sample = importlib.import_module("shared_counter")
    for _ in range(5):
        assert sample.with_lock() == sample.THREADS * sample.STEPS
