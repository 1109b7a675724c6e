"""API routes of the impact app, included in the "api" namespace under /api/v1/."""

from django.urls import path

from incluye.impact.api import IndicatorListView, IndicatorValuesView

urlpatterns = [
    path("indicators/", IndicatorListView.as_view(), name="indicators"),
    path("indicators/<str:code>/values/", IndicatorValuesView.as_view(), name="indicator_values"),
]
