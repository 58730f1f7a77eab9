from __future__ import annotations

from django.contrib import admin, messages

from accounts.admin.base import ScopedAdmin
from fitjourney.hooks.scoping import sees_everyone

from .models import Food, Portion
from .services import foods as food_services


class OwnerKindFilter(admin.SimpleListFilter):
    title = "owner"
    parameter_name = "owner_kind"

    def lookups(self, request, model_admin):
        return [("system", "System (no owner)"), ("people", "People's own")]

    def queryset(self, request, queryset):
        if self.value() == "system":
            return queryset.filter(owner__isnull=True)
        if self.value() == "people":
            return queryset.filter(owner__isnull=False)
        return queryset


class PortionInline(admin.TabularInline):
    model = Portion
    extra = 0
    fields = ("seq", "amount", "description", "gram_weight")
    ordering = ("seq",)


@admin.register(Food)
class FoodAdmin(ScopedAdmin):
    """The food database. Gym staff (and superusers) see every food: the system ones and people's own.
    Anyone else who reaches this admin sees the system foods only: a person's own food is private, even
    from their trainer (trainers hold no nutrition permission today, so they get a 403 anyway)."""

    person_field = "owner"
    access_area = "nutrition"
    list_display = ("name", "category", "energy_kcal", "protein_g", "carbohydrate_g", "fat_g", "owner",
                    "is_system", "is_verified")  # fmt: skip
    list_filter = ("is_verified", "is_system", OwnerKindFilter, "category")
    list_select_related = ("owner",)
    search_fields = ("name", "short_name", "brand", "ndb_no", "owner__email")
    raw_id_fields = ("owner",)
    readonly_fields = ("ndb_no", "usage_count", "created_at", "updated_at")
    exclude = ("search_vector",)
    actions = ("verify",)
    inlines = (PortionInline,)

    def get_queryset(self, request):
        queryset = self.unscoped_queryset(request)
        return queryset if sees_everyone(request.user) else queryset.filter(owner__isnull=True)

    @admin.action(description="Verify the selected foods", permissions=["change"])
    def verify(self, request, queryset):
        count = food_services.foods_verify(foods=queryset)
        self.message_user(request, f"Verified {count} food{'s' if count != 1 else ''}.", messages.SUCCESS)
