def send(outbox: list, message: dict) -> None:
    outbox.append(message)  # the outbox keeps a reference to the same dict


outbox = []
message = {"text": "Hello"}
send(outbox, message)
message["text"] += ", edited after sending"  # reaches into the outbox too
print(outbox)
