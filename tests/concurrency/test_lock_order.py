"""Transfers both ways between two accounts, locks taken in id order: no deadlock, no loss.

A deadlock would show as the command timing out (transcripts.run has a timeout).
"""

import importlib

from harness.support import sample_of

SAMPLE = sample_of(__file__)


def test_python_transfer_moves_money_whichever_way(monkeypatch):
    monkeypatch.syspath_prepend(str(SAMPLE))
    sample = importlib.import_module("lock_order")
    low, high = sample.Account(1, 10), sample.Account(2, 10)
    sample.transfer(high, low, 3)
    assert (low.balance, high.balance) == (13, 7)
    sample.transfer(low, high, 5)
    assert (low.balance, high.balance) == (8, 12)
    assert not low.lock.locked() and not high.lock.locked()
