"""manage.py import_taxonomy onet|esco|isco|crosswalk PATH: import an official distribution of the
occupational taxonomy, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incluye.skills.importers.base import TaxonomyFileError
from incluye.skills.importers.crosswalk import import_crosswalk
from incluye.skills.importers.esco import import_esco
from incluye.skills.importers.isco import import_isco
from incluye.skills.importers.onet import import_onet

LABELS = {
    "occupations": gettext_lazy("occupations"),
    "occupations_created": gettext_lazy("occupations created"),
    "occupations_updated": gettext_lazy("occupations updated"),
    "titles_preferred": gettext_lazy("preferred titles"),
    "titles_alternate": gettext_lazy("alternate titles"),
    "titles_reported": gettext_lazy("reported titles"),
    "titles_es": gettext_lazy("titles in Spanish"),
    "titles_en": gettext_lazy("titles in English"),
    "tasks": gettext_lazy("tasks"),
    "technology": gettext_lazy("technology skills"),
    "tools": gettext_lazy("tools"),
    "skills": gettext_lazy("skills"),
    "skills_created": gettext_lazy("skills created"),
    "skill_links": gettext_lazy("links between occupations and skills"),
    "skill_links_unmatched": gettext_lazy("links whose occupation or skill is unknown"),
    "rows_of_unknown_occupations": gettext_lazy("rows of occupations not in Occupation Data"),
    "repeated_rows": gettext_lazy("rows repeating an occupation already read"),
    "isco_groups": gettext_lazy("ISCO-08 groups"),
    "isco_groups_created": gettext_lazy("ISCO-08 groups created"),
    "isco_groups_updated": gettext_lazy("ISCO-08 groups updated"),
    "isco_titles": gettext_lazy("titles of ISCO-08 groups"),
    "crosswalk": gettext_lazy("crosswalk"),
    "rows": gettext_lazy("rows read"),
    "pairs": gettext_lazy("pairs"),
    "created": gettext_lazy("pairs created"),
    "already_present": gettext_lazy("pairs already present"),
    "unmatched_rows": gettext_lazy("rows without a match"),
    "unmatched_codes": gettext_lazy("codes without a match"),
    "isco_set": gettext_lazy("occupations given an ISCO-08 group"),
}


class Command(BaseCommand):
    # argparse needs plain strings: the help is in English, as in the other commands.
    help = (
        "Import an official distribution of the occupational taxonomy: the O*NET text files (a folder "
        "or db_*_text.zip), an ESCO CSV download (a folder), a CSV of ISCO-08 groups, or a crosswalk CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["onet", "esco", "isco", "crosswalk"])
        parser.add_argument("path", help="file or folder to import")
        parser.add_argument(
            "--relations",
            help="ESCO only: occupationSkillRelations.csv, or the folder that holds it",
        )

    def handle(self, *args, kind, path, relations=None, **options):
        if relations and kind != "esco":
            raise CommandError(_("--relations is only for esco."))
        try:
            if kind == "onet":
                run = import_onet(Path(path))
            elif kind == "esco":
                run = import_esco(Path(path), relations=Path(relations) if relations else None)
            elif kind == "isco":
                run = import_isco(Path(path))
            else:
                run = import_crosswalk(Path(path))
        except TaxonomyFileError as error:
            raise CommandError(_("Nothing was imported. %(error)s") % {"error": error}) from None
        version = f" {run.version}" if run.version else ""
        self.stdout.write(
            _("Imported %(kind)s%(version)s from %(path)s in %(seconds).1f s:")
            % {"kind": kind, "version": version, "path": path, "seconds": run.seconds}
        )
        for key, value in run.counts.items():
            self.stdout.write(f"  {LABELS.get(key, key)}: {value}")
