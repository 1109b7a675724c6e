"""API routes of the certification app, included in the "api" namespace under /api/v1/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
