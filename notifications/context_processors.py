from .selectors import unread_count


def unread(request) -> dict:
    """`unread_notifications`: the signed-in user's unread count, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user=user)}
