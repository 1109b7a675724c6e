"""API routes of the certification app, included in the "api" namespace under /api/v1/."""

from django.urls import path

from incluye.certification import api

urlpatterns = [
    path("assessment-sessions/", api.SessionListView.as_view(), name="assessment_sessions"),
    path("assessment-sessions/<uuid:pk>/", api.SessionView.as_view(), name="assessment_session"),
    path(
        "assessment-sessions/<uuid:pk>/enrollments/", api.SessionEnrollView.as_view(), name="session_enroll"
    ),
    path("enrollments/<uuid:pk>/", api.EnrollmentView.as_view(), name="enrollment"),
    path("enrollments/<uuid:pk>/results/", api.EnrollmentResultsView.as_view(), name="enrollment_results"),
    path("certificates/", api.CertificateListView.as_view(), name="certificates"),
    path("certificates/<uuid:pk>/", api.CertificateView.as_view(), name="certificate"),
    path("certificates/<uuid:pk>/revoke/", api.CertificateRevokeView.as_view(), name="certificate_revoke"),
    path("verify/", api.VerifyView.as_view(), name="verify"),
    path("verify/<str:token>/", api.VerifyTokenView.as_view(), name="verify_token"),
    path("migrant-routes/", api.MigrantRoutesView.as_view(), name="migrant_routes"),
]
