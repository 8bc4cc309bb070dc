import threading

threads = []
for i in range(5):
    threads.append(threading.Thread(target=lambda: print(f"Thread {i} is running!")))

for thread in threads:  # started after the loop, when i is already 4
    thread.start()
    thread.join()
