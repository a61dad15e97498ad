"""The fan-out baseline: a raw `websockets` server. Clients connect to `/`; whatever a
client on `/publish` sends is broadcast, as is, to every other client.

    python -m benchmarks.baselines.ws_broadcast 8103
"""

import asyncio
import sys

from websockets.asyncio.server import broadcast, serve

CLIENTS = set()


async def handler(websocket) -> None:
    if websocket.request.path == "/publish":
        async for message in websocket:
            broadcast(CLIENTS, message)
        return
    CLIENTS.add(websocket)
    try:
        await websocket.wait_closed()
    finally:
        CLIENTS.discard(websocket)


async def main(port: int) -> None:
    async with serve(handler, "127.0.0.1", port, compression=None, backlog=1024):
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
