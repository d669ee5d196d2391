"""The audit log in the Django admin: read-only; and the mixin that records what administrators change there."""

from django.contrib import admin

from partner_support.admin import ReadOnlyAdmin

from .models import AuditAction, AuditEvent
from .services import audit_record, snapshot


class AuditedAdminMixin:
    """Every save and delete of an object, and of its inline rows, in this admin is written to the audit log
    with the values before and after."""

    def _stored(self, obj):
        return snapshot(type(obj)._default_manager.get(pk=obj.pk)) if obj.pk else None

    def save_model(self, request, obj, form, change):
        before = self._stored(obj) if change else None
        super().save_model(request, obj, form, change)
        action = AuditAction.CHANGED if change else AuditAction.CREATED
        audit_record(actor=request.user, action=action, instance=obj, before=before, after=snapshot(obj))

    def delete_model(self, request, obj):
        before = snapshot(obj)
        pk = obj.pk
        super().delete_model(request, obj)
        obj.pk = pk
        audit_record(actor=request.user, action=AuditAction.DELETED, instance=obj, before=before)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        before = {
            item.instance.pk: snapshot(type(item.instance)._default_manager.get(pk=item.instance.pk))
            for item in formset.forms
            if item.instance.pk and item.has_changed()
        }
        deleted = [(item.instance, item.instance.pk, snapshot(item.instance)) for item in formset.deleted_forms]
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_record(actor=request.user, action=AuditAction.CREATED, instance=obj, after=snapshot(obj))
        for obj, _fields in formset.changed_objects:
            audit_record(
                actor=request.user,
                action=AuditAction.CHANGED,
                instance=obj,
                before=before.get(obj.pk),
                after=snapshot(obj),
            )
        for obj, pk, stored in deleted:
            if pk is None:
                continue
            obj.pk = pk  # Django clears it on delete; the log names the row that was deleted
            audit_record(actor=request.user, action=AuditAction.DELETED, instance=obj, before=stored)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_type", "object_id", "actor__email", "note"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
