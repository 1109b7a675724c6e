from django.urls import path

from incluye.participants import views

app_name = "participants"
urlpatterns = [
    path("people/<uuid:pk>/", views.staff_person, name="person"),
    path("people/<uuid:pk>/invite/", views.staff_invite, name="invite"),
    path("people/<uuid:pk>/revoke/", views.staff_revoke, name="revoke"),
    path("copies/<int:pk>/delivered/", views.staff_copy_delivered, name="copy_delivered"),
]
