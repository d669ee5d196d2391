from django.http import HttpRequest, JsonResponse

from .checks import run_checks


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every dependency answers, else 503 naming what failed (for load balancers and docker-compose)."""
    checks = run_checks()
    failed = sorted(name for name, result in checks.items() if not result["ok"])
    status = 503 if failed else 200
    body = {"status": "ok" if status == 200 else "unavailable", "failed": failed, "checks": checks}
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = "30"
    return response
