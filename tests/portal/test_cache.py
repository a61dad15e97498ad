from portal.cache import PortalRedisCache


def test_redis_cache_reuses_its_client_per_pool():
    cache = PortalRedisCache("redis://127.0.0.1:1/0", {})  # never connects: no command is sent
    client = cache._cache.get_client("k")
    assert cache._cache.get_client("other", write=True) is client
    assert client.connection_pool is cache._cache._get_connection_pool(False)
