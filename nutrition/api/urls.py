from __future__ import annotations

from . import diary, foods, plans

urlpatterns = [
    *foods.urlpatterns,
    *diary.urlpatterns,
    *plans.urlpatterns,
]
