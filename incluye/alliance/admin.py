from django.contrib import admin

from incluye.alliance.models import Agreement, AllianceMember, Commitment, Council, Decision, Meeting


class MemberInline(admin.TabularInline):
    model = AllianceMember
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "secretariat", "founded_on"]
    inlines = [MemberInline]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "council", "signed_on", "ends_on"]
    filter_horizontal = ["parties"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["title", "council", "owner", "due_on", "status"]
    list_filter = ["status", "council"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["council", "held_on", "place"]
    filter_horizontal = ["attendees"]
    inlines = [DecisionInline]
