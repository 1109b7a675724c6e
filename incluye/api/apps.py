from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "incluye.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from incluye.api import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
