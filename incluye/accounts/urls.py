from django.urls import path

from incluye.accounts import views

app_name = "accounts"
urlpatterns = [
    path("no-organization/", views.no_membership, name="no_membership"),
    path("switch/", views.switch_membership, name="switch"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/", views.member_edit, name="member_edit"),
    path("log/", views.action_log, name="action_log"),
    path("notifications/", views.notifications, name="notifications"),
]
