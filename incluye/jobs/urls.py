from django.urls import path

from incluye.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.home, name="home"),
    path("commitment/", views.commitment, name="commitment"),
    path("vacancies/new/", views.vacancy_new, name="vacancy_new"),
    path("vacancies/occupation-skills/", views.occupation_skills, name="occupation_skills"),
    path("vacancies/<uuid:pk>/", views.vacancy_detail, name="vacancy"),
    path("vacancies/<uuid:pk>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("vacancies/<uuid:pk>/candidates.csv", views.vacancy_candidates_csv, name="vacancy_candidates_csv"),
    path("vacancies/<uuid:pk>/invite/", views.vacancy_invite, name="vacancy_invite"),
    path("applications/<uuid:pk>/", views.application_detail, name="application"),
    path("applications/<uuid:pk>/step/", views.application_step, name="application_step"),
    path("people/<uuid:pk>/", views.person_jobs, name="person"),
    path("people/<uuid:pk>/shortlist/", views.person_shortlist, name="person_shortlist"),
    path("people/<uuid:pk>/businesses/", views.business_new, name="business_new"),
    path("follow-ups/<int:pk>/", views.follow_up, name="follow_up"),
    path("businesses/<uuid:pk>/", views.business_detail, name="business"),
]
