from django.urls import path

from incluye.skills import views

app_name = "skills"
urlpatterns = [
    path("people/<uuid:pk>/", views.work_history, name="work_history"),
    path("people/<uuid:pk>/profile/", views.profile_start, name="profile_start"),
    path("people/<uuid:pk>/qualifications/", views.qualification_add, name="qualification_add"),
    path("qualifications/<uuid:pk>/step/", views.qualification_step, name="qualification_step"),
    path("jobs/<uuid:pk>/", views.work_edit, name="work_edit"),
    path("jobs/<uuid:pk>/remove/", views.work_remove, name="work_remove"),
    path("jobs/<uuid:pk>/code/", views.work_code, name="work_code"),
    path("jobs/<uuid:pk>/split/", views.work_split, name="work_split"),
    path("jobs/<uuid:pk>/suggestions/", views.work_suggestions, name="work_suggestions"),
    path("profiles/<uuid:pk>/", views.profile_detail, name="profile"),
    path("profiles/<uuid:pk>/occupations/", views.profile_add_occupation, name="profile_add_occupation"),
    path("profiles/<uuid:pk>/skills/", views.profile_skill_remove, name="profile_skill_remove"),
    path("profiles/<uuid:pk>/sign/", views.profile_sign, name="profile_sign"),
    path("profiles/<uuid:pk>/profile.pdf", views.profile_pdf, name="profile_pdf"),
    path("standards/", views.standards, name="standards"),
    path("standards/<uuid:pk>/", views.standard_detail, name="standard"),
    path("standards/import/", views.catalogue_import, name="catalogue_import"),
    path("standards/template.csv", views.catalogue_template, name="catalogue_template"),
]
