from __future__ import annotations

from django.urls import reverse

# (label, url name, icon) in the order the navigation shows them.
NAVIGATION = (
    ("Today", "coaching:today", "sun"),
    ("Train", "training:index", "dumbbell"),
    ("Eat", "nutrition:index", "apple"),
    ("Progress", "coaching:progress", "chart"),
    ("Coach", "coaching:coach", "chat"),
    ("Community", "social:index", "people"),
)


def navigation(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"navigation": []}
    path = request.path
    items = []
    for label, name, icon in NAVIGATION:
        url = reverse(name)
        items.append({"label": label, "url": url, "icon": icon, "active": path.startswith(url)})
    return {"navigation": items}
