from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The top floor: what assembles every app — the home page with each user's inbox, the
    navigation's counts, the demo orchestrator. It imports the apps below; none imports it."""

    name = "incluye.workspace"
    label = "workspace"
    verbose_name = _("Workspace")

    def ready(self):
        from incluye.core.actionlog import register_actions

        register_actions({"incluye.demo.loaded": _("Loaded demo data")})
