import threading

threads = []
for i in range(5):

    def say():
        print(f"Thread {i} is running!")  # i is looked up when say runs

    threads.append(threading.Thread(target=say))

for thread in threads:  # started after the loop, when i is already 4
    thread.start()
    thread.join()
