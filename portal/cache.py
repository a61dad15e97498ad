"""Django's Redis cache, with one Redis client and one connection pool per process.

Django keeps a cache object per thread and per asynchronous context (`caches` is an asgiref
`Local`), and its Redis backend gives each cache object its own connection pools. Every open
board socket runs in a context of its own and reads its session through the cache once, so
each one kept a cache object with its own pool, Redis connection and client: about 22 KiB and
one Redis connection per idle socket (measured with tracemalloc in daphne, 500 sockets). Here
the client (`SharedClientRedisCacheClient`: the pools and one `redis.Redis` per pool) is shared
by every cache object of the process with the same configuration; redis-py's pools and
clients are thread-safe and notice a fork.

Django's client also builds a new `redis.Redis` for every cache call; redis-py fills its table
of response callbacks on each construction, which was about half the CPU time of a cache read
(0.2 of 0.43 ms, measured on the board page). A `redis.Redis` takes a connection from its
pool for each command, so one per pool is enough.
"""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


_shared: dict[str, SharedClientRedisCacheClient] = {}
_shared_lock = threading.Lock()


class PortalRedisCache(RedisCache):
    @cached_property
    def _cache(self) -> SharedClientRedisCacheClient:
        key = repr((self._servers, sorted(self._options.items())))
        client = _shared.get(key)
        if client is None:
            with _shared_lock:
                client = _shared.get(key)
                if client is None:
                    client = _shared[key] = SharedClientRedisCacheClient(
                        self._servers, **self._options
                    )
        return client
