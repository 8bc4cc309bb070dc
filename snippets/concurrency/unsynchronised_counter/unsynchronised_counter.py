import threading

THREADS = 4
DEPOSITS = 1_000_000
RUNS = 5


class Account:
    def __init__(self) -> None:
        self.balance = 0


def deposit(balance: int, amount: int) -> int:
    return balance + amount


def deposit_many(account: Account) -> None:
    for _ in range(DEPOSITS):
        # Read, call, write: another thread may run between the read and
        # the write, and the write then undoes its deposits.
        account.balance = deposit(account.balance, 1)


def final_balance() -> int:
    account = Account()
    threads = [
        threading.Thread(target=deposit_many, args=(account,))
        for _ in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return account.balance


if __name__ == "__main__":
    expected = THREADS * DEPOSITS
    print(f"expected: {expected}")
    lost = any(final_balance() < expected for _ in range(RUNS))
    print(f"deposits lost in some of {RUNS} runs: {lost}")
