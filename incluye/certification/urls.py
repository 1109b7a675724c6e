from django.urls import path

from incluye.certification import views

app_name = "certification"
urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("sessions/<uuid:pk>/", views.session_detail, name="session"),
    path("enrollments/<uuid:pk>/", views.enrollment_detail, name="enrollment"),
    path("enrollments/<uuid:pk>/attendance/", views.enrollment_attendance, name="enrollment_attendance"),
    path("enrollments/<uuid:pk>/issue/", views.certificate_issue, name="certificate_issue"),
    path("profiles/<uuid:pk>/enrol/", views.enroll, name="enroll"),
    path("enrollments/<uuid:pk>/withdraw/", views.enrollment_withdraw, name="enrollment_withdraw"),
    path("certificates/<uuid:pk>/", views.certificate_detail, name="certificate"),
    path("certificates/<uuid:pk>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<uuid:pk>/credential.jwt", views.certificate_credential, name="certificate_credential"
    ),
    path("certificates/<uuid:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("keys/", views.signing_keys, name="signing_keys"),
    path("programs/", views.programs, name="programs"),
    # Public, stable URLs (no sign-in): the body's keys, status lists and verification.
    path("bodies/<int:pk>/jwks.json", views.jwks, name="jwks"),
    path("bodies/<int:pk>/keys/<slug:name>.json", views.public_key, name="public_key"),
    path("bodies/<int:pk>/did.json", views.did_document, name="did"),
    path("status/<int:pk>.json", views.status_list, name="status_list"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:token>/", views.verify_token, name="verify_token"),
]
