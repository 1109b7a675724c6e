from django.contrib import admin

from incluye.referrals.models import Referral, Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "kind", "municipality", "is_active"]
    list_filter = ["kind", "is_active", "organization__country"]
    search_fields = ["name", "organization__name"]
    raw_id_fields = ["organization", "municipality"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """Status and dates only: the snapshot is personal data and is not shown here."""

    list_display = [
        "id",
        "from_organization",
        "to_organization",
        "service",
        "status",
        "sent_at",
        "outcome_due_on",
    ]
    list_filter = ["status"]
    fields = [
        "from_organization",
        "to_organization",
        "service",
        "status",
        "sent_at",
        "outcome_due_on",
        "accepted_at",
        "declined_at",
        "completed_at",
        "cancelled_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
