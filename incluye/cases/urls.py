from django.urls import path

from incluye.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("my-work/", views.my_work, name="my_work"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("<uuid:pk>/tasks/", views.task_add, name="task_add"),
    path("documents/<int:pk>/", views.document_update, name="document_update"),
    path("documents/<int:pk>/scans/", views.scan_upload, name="scan_upload"),
    path("scans/<int:pk>/", views.scan_download, name="scan_download"),
    path("follow-ups/<int:pk>/", views.follow_up, name="follow_up"),
    path("<uuid:pk>/goals/", views.goal_add, name="goal_add"),
    path("goals/<int:pk>/status/", views.goal_status, name="goal_status"),
    path("open/<uuid:person_pk>/", views.case_open, name="open"),
    path("<uuid:pk>/", views.case_detail, name="detail"),
    path("<uuid:pk>/move/", views.case_move, name="move"),
    path("<uuid:pk>/close/", views.case_close, name="close"),
    path("<uuid:pk>/reopen/", views.case_reopen, name="reopen"),
    path("<uuid:pk>/notes/", views.note_add, name="note_add"),
    path("<uuid:pk>/screenings/<slug:instrument>/", views.screening_new, name="screening_new"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/plan/", views.alert_plan, name="alert_plan"),
]
