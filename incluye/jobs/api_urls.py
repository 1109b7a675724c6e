"""API routes of the jobs app, included in the "api" namespace under /api/v1/."""

from django.urls import path

from incluye.jobs import api

urlpatterns = [
    path("vacancies/", api.VacancyListView.as_view(), name="vacancies"),
    path("vacancies/<uuid:pk>/", api.VacancyView.as_view(), name="vacancy"),
    path("vacancies/<uuid:pk>/candidates/", api.VacancyCandidatesView.as_view(), name="vacancy_candidates"),
    path("vacancies/<uuid:pk>/invite/", api.VacancyInviteView.as_view(), name="vacancy_invite"),
    path("people/<uuid:pk>/vacancy-matches/", api.PersonMatchesView.as_view(), name="person_matches"),
    path("applications/", api.ApplicationListView.as_view(), name="applications"),
    path("applications/<uuid:pk>/", api.ApplicationView.as_view(), name="application"),
    path("applications/<uuid:pk>/step/", api.ApplicationStepView.as_view(), name="application_step"),
    path("placements/", api.PlacementListView.as_view(), name="placements"),
    path("businesses/", api.BusinessListView.as_view(), name="businesses"),
    path("businesses/<uuid:pk>/", api.BusinessView.as_view(), name="business"),
]
