from django.contrib import admin

from incluye.people.models import IdentityDocument, Person


class IdentityDocumentInline(admin.TabularInline):
    model = IdentityDocument
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["first_surname", "second_surname", "given_names", "organization", "created_at"]
    list_select_related = ["organization"]
    search_fields = ["given_names", "first_surname", "second_surname"]
    inlines = [IdentityDocumentInline]
    raw_id_fields = ["residence"]
