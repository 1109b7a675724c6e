import os

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_bundled_taxonomy(sender, using="default", **kwargs):
    """Every database gets the bundled occupations, skills and titles after migrate, so the coder
    works before any official distribution is imported."""
    from incluye.skills.bundled import DATA, load_bundled

    if os.environ.get("INCLUYE_SKIP_BUNDLED") and not (DATA / "occupations.json").exists():
        return
    load_bundled()


class SkillsConfig(AppConfig):
    name = "incluye.skills"
    label = "skills"
    verbose_name = _("Skills and recognition of experience")

    def ready(self):
        from incluye.core.actionlog import register_actions

        post_migrate.connect(load_bundled_taxonomy, sender=self)
        register_actions(
            {
                "incluye.work.added": _("Added a job abroad to the work history"),
                "incluye.work.updated": _("Updated a job abroad"),
                "incluye.work.removed": _("Removed a job abroad"),
                "incluye.work.coded": _("Coded a job abroad to an occupation"),
                "incluye.profile.created": _("Started a skills profile"),
                "incluye.profile.updated": _("Updated a skills profile"),
                "incluye.profile.signed": _("Signed a skills profile"),
                "incluye.profile.printed": _("Printed a skills profile"),
                "incluye.standards.imported": _("Imported a catalogue of competency standards"),
                "incluye.qualification.added": _("Recorded a qualification from abroad"),
                "incluye.qualification.progressed": _(
                    "Updated the recognition of a qualification from abroad"
                ),
            }
        )
