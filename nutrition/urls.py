from __future__ import annotations

from .views import diary, foods, home, plans

app_name = "nutrition"

urlpatterns = [
    *home.urlpatterns,
    *foods.urlpatterns,
    *diary.urlpatterns,
    *plans.urlpatterns,
]
