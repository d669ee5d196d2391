"""The OpenAPI schema as the API behaves: every error status an operation can answer is documented, lists under
one object (a ticket's comments, a webhook's deliveries) are plain arrays, unpaginated and unfiltered."""

from drf_spectacular.openapi import AutoSchema

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "A message for a person."}},
    "additionalProperties": {"description": "Field errors: the field's name and a list of messages."},
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `detail` and/or field errors.",
    "401": "Not authenticated: no valid session or token.",
    "402": "The available deposit does not cover the request.",
    "403": "Not allowed for your role.",
    "404": "Not visible to you (or does not exist).",
    "409": "Not allowed in the object's current state.",
    "429": "Too many requests or failed logins: wait `Retry-After` seconds.",
}


class ApiSchema(AutoSchema):
    """Views may add statuses of their own with `error_statuses = {"402", "409"}` (402, 409: business refusals)."""

    def _acts_on_one_object(self) -> bool:
        return bool(getattr(self.view, "detail", False)) and getattr(self.view, "action", None) not in (
            None,
            "retrieve",
            "partial_update",
            "update",
            "destroy",
        )

    def _get_paginator(self):
        return None if self._acts_on_one_object() else super()._get_paginator()

    def get_filter_backends(self):
        return [] if self._acts_on_one_object() else super().get_filter_backends()

    def _error_statuses(self) -> set[str]:
        statuses = {"400", "429"}
        if self.view.authentication_classes:
            statuses |= {"401", "403", "404"}  # 404: an object not visible to you, a page past the end
        if self.method in ("POST", "PATCH", "PUT", "DELETE"):
            statuses |= {str(code) for code in getattr(self.view, "error_statuses", ())}
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status in sorted(self._error_statuses()):
            responses.setdefault(
                status,
                {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": ERROR_SCHEMA}},
                },
            )
            if not responses[status].get("content"):
                responses[status]["content"] = {"application/json": {"schema": ERROR_SCHEMA}}
        return responses
