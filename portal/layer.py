"""Sending to a channel-layer group from synchronous code (views, services, signals).

`async_to_sync(layer.group_send)` from a sync worker starts an event loop for the call, and
the Redis pub/sub layer opens a Redis connection per event loop: about 2.7 ms per event on
the benchmark machine, paid inside every request that awards points or logs someone out.
For the Redis pub/sub layer with one host (the project's configuration) `group_send_sync`
publishes the same bytes to the same Redis channel with a process-wide synchronous client
(about 0.1 ms). Any other layer (the in-memory layer of `make run` and the tests, a sharded
or sentinel Redis) goes through `async_to_sync` as before.

The group's Redis channel name and the serialisation are channels_redis's own (the layer's
`serialize`, its `<prefix>__group__<group>` naming); tests/portal/test_layer.py checks with a
real channels_redis subscriber that what is published here is received, so an upgrade that
changes either fails there, not in production.
"""

from __future__ import annotations

import threading

from asgiref.sync import async_to_sync

try:
    import redis
    from channels_redis.pubsub import RedisPubSubChannelLayer
except ImportError:  # pragma: no cover - both are requirements
    redis = None
    RedisPubSubChannelLayer = None

_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()


def _redis_target(layer) -> tuple[str, str] | None:
    """(Redis URL, channel prefix) when `layer` is the pub/sub layer on one URL, else None."""
    if RedisPubSubChannelLayer is None or not isinstance(layer, RedisPubSubChannelLayer):
        return None
    config = getattr(layer, "_kwargs", {})  # what the layer was configured with
    hosts = config.get("hosts") or []
    if len(hosts) != 1 or not isinstance(hosts[0], str):
        return None
    return hosts[0], config.get("prefix", "asgi")


def _client(url: str) -> redis.Redis:
    client = _clients.get(url)
    if client is None:
        with _clients_lock:
            client = _clients.setdefault(url, redis.Redis.from_url(url))
    return client


def group_send_sync(layer, group: str, message: dict) -> None:
    """`layer.group_send(group, message)` for synchronous callers. Raises what the send raises."""
    target = _redis_target(layer)
    if target is None:
        async_to_sync(layer.group_send)(group, message)
        return
    url, prefix = target
    _client(url).publish(f"{prefix}__group__{group}", layer.serialize(message))
