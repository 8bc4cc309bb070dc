"""The Python twin of the counter Rust refuses: without a lock, deposits get lost.

Rust's refusal and the twin's output are checked by tests/test_compile_fail.py and
tests/test_outputs.py; this
checks the claim behind the output, and the one the page makes about a bare `+=`.
"""

import importlib
import threading

import pytest

from harness.support import sample_of

SAMPLE = sample_of(__file__)


@pytest.fixture
def sample(monkeypatch):
    monkeypatch.syspath_prepend(str(SAMPLE))
    return importlib.import_module("unsynchronised_counter")


def test_read_call_write_loses_deposits_in_some_run(sample):
    expected = sample.THREADS * sample.DEPOSITS
    balances = [sample.final_balance() for _ in range(sample.RUNS)]
    assert all(balance <= expected for balance in balances)
    assert min(balances) < expected, "no deposit lost in any run: the page's claim is wrong"


def test_with_a_lock_nothing_is_lost(sample, monkeypatch):
    lock = threading.Lock()
    unlocked = sample.deposit

    def locked_deposit_many(account):
        for _ in range(sample.DEPOSITS):
            with lock:
                account.balance = unlocked(account.balance, 1)

    monkeypatch.setattr(sample, "deposit_many", locked_deposit_many)
    # A tenth of the page's deposits, in a tenth of the time: what a lock guarantees does
    # not depend on how many.
    monkeypatch.setattr(sample, "DEPOSITS", sample.DEPOSITS // 10)
    assert sample.final_balance() == sample.THREADS * sample.DEPOSITS
