import threading
from dataclasses import dataclass, field


@dataclass
class Account:
    id: int
    balance: int
    lock: threading.Lock = field(default_factory=threading.Lock)


def transfer(source: Account, target: Account, amount: int) -> None:
    # Both locks in the order of the accounts' ids, whichever way the money
    # goes; taking source's lock first could deadlock two opposite transfers.
    first, second = sorted((source, target), key=lambda account: account.id)
    with first.lock, second.lock:
        source.balance -= amount
        target.balance += amount


TRANSFERS = 100_000


def many(source: Account, target: Account) -> None:
    for _ in range(TRANSFERS):
        transfer(source, target, 1)


if __name__ == "__main__":
    alice, bob = Account(1, 1000), Account(2, 1000)
    threads = [
        threading.Thread(target=many, args=(alice, bob)),
        threading.Thread(target=many, args=(bob, alice)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"{TRANSFERS} transfers each way, no deadlock")
    total = alice.balance + bob.balance
    print(f"alice: {alice.balance}, bob: {bob.balance}, total: {total}")
