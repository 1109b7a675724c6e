from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "incluye.api"
    label = "api"
    verbose_name = "API"
