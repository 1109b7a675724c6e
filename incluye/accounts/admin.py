from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from incluye.accounts.models import Membership, Organization, User


class MembershipInline(admin.TabularInline):
    """Read only here: roles are given on the members page (nobody gives themselves one; a
    psychosocial or administrator role takes a second administrator) or, by the operator, with
    `manage.py grant_role`."""

    model = Membership
    extra = 0
    fields = readonly_fields = ["organization", "user", "role", "read_only", "is_active"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "",
            {
                "fields": [
                    "first_name",
                    "last_name",
                    "preferred_language",
                    "notification_mode",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                ]
            },
        ),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [MembershipInline]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "sector", "kind", "is_active"]
    list_filter = ["country", "sector", "kind"]
    search_fields = ["name", "short_name"]
    inlines = [MembershipInline]
