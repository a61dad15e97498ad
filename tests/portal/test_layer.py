"""portal.layer.group_send_sync: what synchronous code sends reaches the group's members."""

import asyncio
import uuid
from unittest import mock

import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer
from django.conf import settings as django_settings

from portal import layer as portal_layer
from portal.layer import group_send_sync

MESSAGE = {"type": "board.entry", "seq": 7, "name": "Siti Rahmawati", "points": 10}


async def _member(layer, group: str) -> str:
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    return channel


async def test_in_memory_layer_goes_through_the_layer():
    layer = InMemoryChannelLayer()
    channel = await _member(layer, "papan")
    await sync_to_async(group_send_sync)(layer, "papan", MESSAGE)
    assert await asyncio.wait_for(layer.receive(channel), 2) == MESSAGE


def _redis_layer(hosts):
    from channels_redis.pubsub import RedisPubSubChannelLayer

    return RedisPubSubChannelLayer(hosts=hosts, prefix=f"t{uuid.uuid4().hex}")


@pytest.mark.redis
@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs REDIS_URL (CI's second suite)")
async def test_redis_pubsub_layer_is_published_to_directly_and_heard_by_its_subscribers():
    """The bytes published by the synchronous client are what a channels_redis subscriber
    of the group receives (its channel naming and serialisation), without an event loop per
    send (async_to_sync is not used)."""
    layer = _redis_layer([django_settings.REDIS_URL])
    try:
        channel = await _member(layer, "papan")
        with mock.patch.object(portal_layer, "async_to_sync", side_effect=AssertionError):
            await sync_to_async(group_send_sync)(layer, "papan", MESSAGE)
            await sync_to_async(group_send_sync)(layer, "papan", {**MESSAGE, "seq": 8})
        assert await asyncio.wait_for(layer.receive(channel), 5) == MESSAGE
        assert (await asyncio.wait_for(layer.receive(channel), 5))["seq"] == 8
    finally:
        await layer.flush()


def test_sharded_redis_layer_falls_back_to_the_layers_own_send():
    layer = _redis_layer(["redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"])
    sent = []
    with mock.patch.object(
        portal_layer, "async_to_sync", side_effect=lambda fn: lambda *a: sent.append(a)
    ):
        group_send_sync(layer, "papan", MESSAGE)
    assert sent == [("papan", MESSAGE)]
