from django.urls import path

from incluye.participants import views

app_name = "me"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.code, name="code"),
    path("sign-in/code/again/", views.code_again, name="code_again"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("consents/", views.consents, name="consents"),
    path("consents/<slug:purpose>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("data/", views.my_data, name="data"),
    path("data/copy/", views.copy_request, name="copy_request"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<uuid:pk>/", views.job, name="job"),
    path("jobs/<uuid:pk>/answer/", views.job_answer, name="job_answer"),
    path("certificates/", views.certificates, name="certificates"),
    path("certificates/<uuid:pk>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<uuid:pk>/credential.jwt", views.certificate_credential, name="certificate_credential"
    ),
]
