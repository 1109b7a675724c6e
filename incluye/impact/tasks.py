from django.tasks import task


@task
def refresh_indicator_summary(country: str) -> int:
    """Rebuild the indicator summary of a country (run it every night, or after a bulk import)."""
    from incluye.core.actionlog import log_action
    from incluye.impact.indicators import refresh_summary

    cells = refresh_summary(country)
    log_action(
        actor=None,
        organization=None,
        action="incluye.impact.refreshed",
        data={"country": country, "cells": cells},
    )
    return cells
