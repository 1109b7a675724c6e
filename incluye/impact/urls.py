from django.urls import path

from incluye.impact import views

app_name = "impact"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("public/", views.public, name="public"),
    path("export/indicator.<str:fmt>", views.export_indicator, name="export_indicator"),
    path("export/people.<str:fmt>", views.export_people, name="export_people"),
    path("stories/", views.stories, name="stories"),
    path("stories/new/<uuid:pk>/", views.story_new, name="story_new"),
    path("stories/<uuid:pk>/", views.story_detail, name="story"),
    path("stories/<uuid:pk>/<str:step>/", views.story_step, name="story_step"),
]
