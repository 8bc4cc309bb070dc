"""The same bug in FastAPI: an index past the end of NAMES raises IndexError."""

import sys

import uvicorn
from fastapi import FastAPI

NAMES = ["Ann", "Bob"]
app = FastAPI()


@app.get("/names/{index}")
async def name(index: int) -> str:
    return NAMES[index]


class Server(uvicorn.Server):
    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        for server in self.servers:
            host, port = server.sockets[0].getsockname()
            print(f"Listening on http://{host}:{port}", flush=True)


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    config = uvicorn.Config(app, port=port, log_level="warning")
    try:
        Server(config).run()
    except KeyboardInterrupt:
        pass  # uvicorn re-raises Ctrl+C once it has shut down
