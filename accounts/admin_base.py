from __future__ import annotations

from django.contrib import admin

from .scoping import visible_people_filter


class ScopedAdmin(admin.ModelAdmin):
    """Base admin for personal data: each staff member sees only the rows of people they may see.

    Set `person_field` to the path from the model to its owner ("user", "session__user", or "pk" for
    the User model itself). Rows outside the scope do not exist for that staff member (404s in the admin).
    """

    person_field = "user"
    list_per_page = 50

    def unscoped_queryset(self, request):
        return super().get_queryset(request)

    def get_queryset(self, request):
        queryset = self.unscoped_queryset(request)
        scope = visible_people_filter(request.user, self.person_field)
        return queryset if scope is None else queryset.filter(scope)
