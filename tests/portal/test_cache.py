from portal.cache import PortalRedisCache


def test_redis_cache_reuses_its_client_per_pool():
    cache = PortalRedisCache("redis://127.0.0.1:1/0", {})  # never connects: no command is sent
    client = cache._cache.get_client("k")
    assert cache._cache.get_client("other", write=True) is client
    assert client.connection_pool is cache._cache._get_connection_pool(False)


def test_every_cache_object_of_the_process_shares_the_pools():
    """Django makes a cache object per thread and per async context (every board socket has
    one); they share one client and pool instead of a Redis connection each."""
    servers = "redis://127.0.0.1:1/0"
    first, second = PortalRedisCache(servers, {}), PortalRedisCache(servers, {})
    assert first is not second
    assert second._cache is first._cache
    assert second._cache.get_client("k") is first._cache.get_client("k")
    assert PortalRedisCache("redis://127.0.0.1:1/1", {})._cache is not first._cache


async def test_sockets_in_their_own_contexts_share_one_client(settings):
    import asyncio

    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "portal.cache.PortalRedisCache", "LOCATION": "redis://127.0.0.1:1/2"}
    }

    async def one_socket():
        return caches["default"]

    objects = await asyncio.gather(*(asyncio.create_task(one_socket()) for _ in range(3)))
    assert len({id(cache) for cache in objects}) == 3  # Django's own: one per context
    assert len({id(cache._cache) for cache in objects}) == 1
