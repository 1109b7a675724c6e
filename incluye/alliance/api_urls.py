"""API routes of the alliance app, included in the "api" namespace under /api/v1/."""

from django.urls import path

from incluye.alliance.api import NetworkView

urlpatterns = [path("alliance/network/", NetworkView.as_view(), name="alliance_network")]
