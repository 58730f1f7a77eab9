from __future__ import annotations

from django.urls import reverse

# (label, url name, icon, other sections it covers) in the order the navigation shows them.
NAVIGATION = (
    ("Today", "coaching:today", "sun", ("coaching:review",)),
    ("Train", "training:index", "dumbbell", ()),
    ("Eat", "nutrition:index", "apple", ()),
    ("Progress", "coaching:progress", "chart", ()),
    ("Coach", "coaching:coach", "chat", ("coaching:habits", "coaching:journal", "coaching:checkins")),
    ("Community", "social:index", "people", ()),
)


def navigation(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"navigation": []}
    path = request.path
    items = []
    for label, name, icon, covers in NAVIGATION:
        url = reverse(name)
        active = any(path.startswith(prefix) for prefix in (url, *(reverse(other) for other in covers)))
        items.append({"label": label, "url": url, "icon": icon, "active": active})
    return {"navigation": items}
