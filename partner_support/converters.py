"""URL converters shared by every app."""


class IdConverter:
    """A primary key in a URL: at most 18 digits, so that no number overflows a 64-bit column (such a URL is 404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
