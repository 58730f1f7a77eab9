"""The base of every admin for personal data: scoped to the people a staff member may see, and audited."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse

from fitjourney.hooks.scoping import is_trainer, sees_everyone, visible_people_filter

from ..models import AuditAction, User
from ..request_info import audit_context, request_user
from ..services.audit import audit_record, model_changes

# What an object was before the admin saved it (save_model), for save_related to audit: per request,
# forgotten with it.
_before_save: WeakKeyDictionary[HttpRequest, tuple[Any, dict[str, Any]]] = WeakKeyDictionary()

# Never copied into the audit trail, only noted as changed.
SECRET_FIELDS = frozenset({"password", "token_hash"})

# The audit action of a trainer opening a client's data.
CLIENT_DATA_VIEW = AuditAction.CLIENT_DATA_VIEW


def _snapshot(obj: Model | None) -> dict[str, Any]:
    if obj is None:
        return {}
    values = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        values[field.attname] = "(secret)" if field.name in SECRET_FIELDS else value
    for field in obj._meta.many_to_many:
        if obj.pk is not None:
            values[field.name] = sorted(str(pk) for pk in getattr(obj, field.name).values_list("pk", flat=True))
    return values


class ScopedAdmin(admin.ModelAdmin):
    """Base admin for personal data.

    - Scope: each staff member sees only the rows of people they may see. Set `person_field` to the
      path from the model to its owner ("user", "session__user", or "pk" for the User model itself).
      Rows outside the scope do not exist for that staff member (the admin answers "doesn't exist").
    - Area: set `access_area` to the kind of data the rows are ("training", "body", "nutrition", "habits",
      "checkins", "journal"): a trainer then sees a client's rows only while their active link grants it.
      None means any active link (who the trainer's clients are), for rows that are not such data. Every
      subclass says which (coaching/tests/test_trainer_scoping.py checks).
    - Audit: every add, change and delete made here is written to the audit trail with the old and
      new values (secrets masked), the staff member, IP and user agent; and each time a trainer opens
      another person's row (its change page), a `client_data_view` entry.
    """

    person_field = "user"
    access_area: str | None = None
    list_per_page = 50

    def unscoped_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request)

    def people_scope(self, request: HttpRequest, field: str | None = None) -> Q | None:
        """The filter of the people this staff member may see for this admin's area (None: everyone)."""
        return visible_people_filter(request.user, field or self.person_field, area=self.access_area)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = self.unscoped_queryset(request)
        scope = self.people_scope(request)
        return queryset if scope is None else queryset.filter(scope)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Model | None = None,
    ) -> HttpResponse:
        # Reached only for an object inside get_queryset (others are "doesn't exist"), so what is recorded
        # is exactly what the trainer was shown.
        if change and obj is not None and request.method == "GET":
            self.audit_client_view(request, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def audit_client_view(self, request: HttpRequest, obj: Model) -> None:
        """A trainer opening another person's data is written to that person's audit trail."""
        viewer = request.user
        if not getattr(viewer, "is_authenticated", False) or sees_everyone(viewer) or not is_trainer(viewer):
            return
        person = self.person_of(obj)
        if person is None or person.pk == viewer.pk:
            return
        audit_record(
            action=CLIENT_DATA_VIEW,
            actor=request_user(request),
            subject=person,
            entity=obj,
            new_values={"area": self.access_area or "", "admin": type(self).__name__},
            context=audit_context(request),
        )

    # Audit trail -------------------------------------------------------------------------------

    def person_of(self, obj: Model) -> User | None:
        if self.person_field == "pk":
            return obj if isinstance(obj, User) else None
        target: object = obj
        for part in self.person_field.split("__"):
            target = getattr(target, part, None)
            if target is None:
                return None
        return target if isinstance(target, User) else None

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            before = type(obj)._base_manager.filter(pk=obj.pk).first()
            _before_save[request] = (obj.pk, _snapshot(before))
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        pk, before = _before_save.pop(request, (None, {}))
        after = _snapshot(obj)
        old, new = model_changes(before if pk == obj.pk else {}, after)
        if change and not new:
            return
        audit_record(
            action=AuditAction.ADMIN_CHANGE if change else AuditAction.ADMIN_ADD,
            actor=request_user(request),
            subject=self.person_of(obj),
            entity=obj,
            old_values=old if change else None,
            new_values=new,
            context=audit_context(request),
        )

    def _audit_delete(self, request: HttpRequest, obj: Model) -> None:
        audit_record(
            action=AuditAction.ADMIN_DELETE,
            actor=request_user(request),
            subject=self.person_of(obj),
            entity=obj,
            old_values=_snapshot(obj),
            context=audit_context(request),
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(ScopedAdmin):
    """A scoped admin that only shows: records kept by the system (the audit trail, versions, summaries),
    never added, changed or deleted by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
