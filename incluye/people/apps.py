from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "incluye.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        from incluye.core.actionlog import register_actions
        from incluye.people import inbox

        inbox.register()
        register_actions(
            {
                "incluye.person.registered": _("Registered a person"),
                "incluye.person.viewed": _("Opened a person's record"),
                "incluye.person.exported": _("Exported everything held about a person"),
                "incluye.person.erased": _("Erased a person's data (anonymized)"),
                "incluye.person.updated": _("Corrected a person's record"),
                "incluye.return.recorded": _("Recorded a return"),
                "incluye.consent.given": _("Recorded a consent"),
                "incluye.consent.withdrawn": _("Recorded a withdrawal of consent"),
                "incluye.manifest.uploaded": _("Uploaded a manifest"),
                "incluye.manifest.imported": _("Imported a manifest"),
                "incluye.manifest.discarded": _("Discarded a checked manifest"),
                "incluye.manifest.mapping_saved": _("Saved a mapping of columns and values"),
                "incluye.kobo.source_created": _("Added a KoboToolbox project"),
                "incluye.kobo.source_changed": _("Changed a KoboToolbox project"),
                "incluye.kobo.source_deleted": _("Removed a KoboToolbox project"),
                "incluye.kobo.pulled": _("Pulled submissions from KoboToolbox"),
                "incluye.kobo.pull_failed": _("A pull from KoboToolbox failed"),
                "incluye.person.merged": _("Merged two records of the same person"),
                "incluye.person.unmerged": _("Undid a merge"),
                "incluye.duplicates.reviewed": _("Reviewed a possible duplicate"),
                "incluye.duplicates.found": _("Searched the registry for duplicates"),
                "incluye.arrivals.exported": _("Exported a day's list of arrivals"),
                "incluye.duplicates.group_merged": _("Merged a group of records of the same person"),
                "incluye.duplicates.search_requested": _("Asked for a check for duplicates"),
                "incluye.person.stub_viewed": _("Saw the minimal record of a person of another organization"),
                "incluye.duplicates.record_viewed": _(
                    "Saw a record of another organization while reviewing possible duplicates"
                ),
                "incluye.person.access_granted": _("Shared a person's record with another organization"),
                "incluye.person.access_ended": _(
                    "Stopped sharing a person's record with another organization"
                ),
                "incluye.person.registered_over_match": _(
                    "Registered a new record although the alliance holds the same identity number"
                ),
                "incluye.arrival.recorded": _("Recorded an arrival"),
                "incluye.migration_status.recorded": _("Recorded a migration status"),
                "incluye.migration_status.ended": _("Ended a migration status"),
                "incluye.document.recorded": _("Recorded an identity document"),
                "incluye.document.renewed": _("Renewed an identity document"),
                "incluye.protection.viewed": _(
                    "Read protection-sensitive data (migration status, nationality)"
                ),
            }
        )
