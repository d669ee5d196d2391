"""One Redis for cache and broker, and Redis down: requests are answered (throttles and the login guard fall back
to a per-process cache, logged), never a 500."""

import logging

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens there


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "partner_support.cache.FailOverRedisCache", "LOCATION": DEAD_REDIS}}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}  # the throttles read the cache named in CACHES


def test_the_api_and_the_login_answer_while_the_cache_is_down(client, member, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="partner_support.cache"):
        client.force_login(member)
        assert client.get("/api/v1/tickets/").status_code == 200
        wrong = client.post(
            "/api/v1/auth/token/", {"email": member.email, "password": "wrong"}, content_type="application/json"
        )
        assert wrong.status_code == 400
    assert "Redis cache unreachable" in caplog.text


def test_the_fallback_keeps_counting_in_the_process(redis_down):
    cache.set("k", 1)
    assert cache.get("k") == 1 and cache.incr("k") == 2
    assert cache.add("k", 5) is False and cache.get_many(["k"]) == {"k": 2}


def test_healthz_names_the_cache_when_redis_is_down(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["failed"] == ["cache"]
