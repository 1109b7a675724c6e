from django.urls import path

from incluye.alliance import views

app_name = "alliance"
urlpatterns = [
    path("", views.network, name="network"),
    path("agreements/<int:pk>/file/", views.agreement_file, name="agreement_file"),
    path("commitments/<int:pk>/move/", views.commitment_move, name="commitment_move"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("new/<slug:kind>/", views.record, name="record"),
]
