import sys
import threading


def work(i: int) -> None:
    # One write per line, so lines from different threads never mix.
    sys.stdout.write(f"Thread {i} is running!\n")


threads = [threading.Thread(target=work, args=(i,)) for i in range(5)]
for thread in threads:
    thread.start()

for thread in threads:
    thread.join()  # wait for the thread to finish
