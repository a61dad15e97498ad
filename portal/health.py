import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection

logger = logging.getLogger(__name__)

HEALTH_GROUP = "healthz"


def database_ok() -> bool:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:
        logger.warning("health check: database unreachable", exc_info=True)
        return False


def channel_layer_ok(timeout: float = 2.0) -> bool:
    """Publish a no-op event: the board's broadcasts go the same way."""
    layer = get_channel_layer()
    if layer is None:
        return False

    async def probe() -> None:
        await asyncio.wait_for(layer.group_send(HEALTH_GROUP, {"type": "health.probe"}), timeout)

    try:
        async_to_sync(probe)()
        return True
    except Exception:
        logger.warning("health check: channel layer unreachable", exc_info=True)
        return False
