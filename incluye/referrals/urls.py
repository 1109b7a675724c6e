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
    path("handoffs/arrivals/", views.handoff_arrivals, name="handoff_arrivals"),
    path("handoffs/person/<uuid:person_pk>/", views.handoff_person, name="handoff_person"),
    path("transfers/new/<uuid:case_pk>/", views.transfer_new, name="transfer_new"),
    path("access/new/", views.access_new, name="access_new"),
]
for kind, prefix in (("handoff", "handoffs"), ("transfer", "transfers"), ("access", "access")):
    urlpatterns += [
        path(f"{prefix}/<uuid:pk>/", views.act_detail, {"kind": kind}, name=kind),
        path(f"{prefix}/<uuid:pk>/accept/", views.act_accept, {"kind": kind}, name=f"{kind}_accept"),
        path(f"{prefix}/<uuid:pk>/decline/", views.act_decline, {"kind": kind}, name=f"{kind}_decline"),
        path(f"{prefix}/<uuid:pk>/cancel/", views.act_cancel, {"kind": kind}, name=f"{kind}_cancel"),
        path(f"{prefix}/<uuid:pk>/close/", views.act_close, {"kind": kind}, name=f"{kind}_close"),
    ]
