from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from incluye.accounts.models import Membership, Organization, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


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
