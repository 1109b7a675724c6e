from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "incluye.impact"
    label = "impact"
    verbose_name = _("Impact")

    def ready(self):
        from incluye.core.actionlog import register_actions
        from incluye.impact import computations  # noqa: F401  (registers the built-in formulas)

        register_actions(
            {
                "incluye.impact.exported": _("Exported an indicator table"),
                "incluye.impact.records_exported": _("Exported a list of records"),
                "incluye.impact.refreshed": _("Rebuilt the indicator summary"),
                "incluye.impact.aggregates_exported": _("Exported the country's aggregates for the region"),
                "incluye.story.created": _("Wrote a story"),
                "incluye.story.updated": _("Edited a story"),
                "incluye.story.published": _("Published a story"),
                "incluye.story.withdrawn": _("Withdrew a story"),
            }
        )
