from django.contrib import admin

from incluye.core.models import ActionLogEntry, Country, Division, IdDocumentType


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "time_zone", "calling_code"]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "country"]
    list_filter = ["country", "level"]
    search_fields = ["code", "name"]
    list_select_related = ["country"]


@admin.register(IdDocumentType)
class IdDocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country", "rule", "is_national_id"]
    list_filter = ["country"]


@admin.register(ActionLogEntry)
class ActionLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "organization", "content_type", "object_id"]
    list_filter = ["action"]
    list_select_related = ["actor", "organization", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
