from django.contrib import admin

from incluye.certification.models import AssessmentSession, Certificate, IssuerProfile, SigningKey


@admin.register(IssuerProfile)
class IssuerProfileAdmin(admin.ModelAdmin):
    list_display = ["body", "website", "signatory_name"]


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ["kid", "body", "active", "created_at", "retired_at"]
    list_filter = ["active"]
    fields = ["body", "kid", "public_jwk", "active", "created_at", "retired_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # keys are made by `manage.py rotate_signing_key` or the keys page


@admin.register(AssessmentSession)
class AssessmentSessionAdmin(admin.ModelAdmin):
    list_display = ["standard", "body", "date", "place", "capacity"]
    list_filter = ["body"]
    raw_id_fields = ["standard"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "body", "issued_at", "revoked_at"]
    list_filter = ["body"]
    search_fields = ["number"]
    fields = ["number", "body", "standard", "issued_at", "public_fields", "revoked_at", "revocation_reason"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
