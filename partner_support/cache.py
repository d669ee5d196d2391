"""The Redis cache, kept from turning a Redis outage into 500s.

Throttles, the login guard and page caches read the cache on every request. With one Redis for cache and broker
(the docker-compose layout), a Redis outage must not fail every request: each call that cannot reach Redis falls
back to a per-process in-memory cache (throttles and the login guard keep working, per process, meanwhile) and
is logged, at most once a minute per process.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY_SECONDS = 60


class FailOverRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        # Give up on an unreachable Redis in a second rather than holding the request.
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        super().__init__(server, {**params, "OPTIONS": options})
        self._fallback = LocMemCache("fail-over", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._logged_at = 0.0

    def ping(self) -> bool:
        """Redis itself answers (for /healthz, which must not be satisfied by the fallback)."""
        return bool(self._cache.get_client(write=True).ping())

    def _degraded(self, name: str, error: Exception):
        now = time.monotonic()
        if now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            logger.warning("Redis cache unreachable (%s: %s); using the in-process fallback", name, error)
        return getattr(self._fallback, name)


def _fail_over(name: str):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(FailOverRedisCache, self), name)(*args, **kwargs)
        except OUTAGE as error:
            return self._degraded(name, error)(*args, **kwargs)

    method.__name__ = name
    return method


for _name in ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many"):
    setattr(FailOverRedisCache, _name, _fail_over(_name))
