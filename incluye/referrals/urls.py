from django.urls import path

from incluye.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/<uuid:case_pk>/", views.referral_new, name="new"),
    path("<uuid:pk>/", views.referral_detail, name="detail"),
    path("<uuid:pk>/accept/", views.referral_accept, name="accept"),
    path("<uuid:pk>/decline/", views.referral_decline, name="decline"),
    path("<uuid:pk>/complete/", views.referral_complete, name="complete"),
    path("<uuid:pk>/cancel/", views.referral_cancel, name="cancel"),
    path("services/", views.service_directory, name="directory"),
    path("services/ours/", views.our_services, name="our_services"),
    path("services/new/", views.service_new, name="service_new"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
]
