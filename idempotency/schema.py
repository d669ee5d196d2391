"""The `Idempotency-Key` header and its answers, added to every write of the OpenAPI schema."""

from .middleware import UNKEPT_PREFIXES

WRITE_METHODS = ("post", "patch", "delete")


def document_idempotency_key(result, generator, request, public):
    parameter = {
        "in": "header",
        "name": "Idempotency-Key",
        "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
        "description": "Send a unique key (e.g. a UUID) to make a retry safe: the same key within 24 hours returns "
        "the first answer (header `Idempotent-Replayed: true`) and does nothing again; the same key with another "
        "request answers 422; while the first is still being answered, 409.",
    }
    for path, path_item in result.get("paths", {}).items():
        if path.startswith(UNKEPT_PREFIXES):
            continue
        for method, operation in path_item.items():
            if method not in WRITE_METHODS:
                continue
            operation.setdefault("parameters", []).append(parameter)
            responses = operation.setdefault("responses", {})
            responses.setdefault("422", {"description": "The Idempotency-Key was used with another request."})
            responses.setdefault("409", {"description": "Not allowed now, or the same key is still being answered."})
    return result
