from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from incluye.core import views as core_views
from incluye.workspace import views as workspace_views

# The admin signs in through allauth's sign-in (second factor, rate limits), never its own form.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", workspace_views.home, name="home"),
    path("inbox/", workspace_views.inbox, name="inbox"),
    path("health/", core_views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("", include("incluye.accounts.urls")),
    path("people/", include("incluye.people.urls")),
    path("cases/", include("incluye.cases.urls")),
    path("referrals/", include("incluye.referrals.urls")),
    path("skills/", include("incluye.skills.urls")),
    path("certification/", include("incluye.certification.urls")),
    path("jobs/", include("incluye.jobs.urls")),
    path("alliance/", include("incluye.alliance.urls")),
    path("impact/", include("incluye.impact.urls")),
    path("api/", include("incluye.api.urls")),
    path("me/", include("incluye.participants.urls")),
    path("participants/", include("incluye.participants.staff_urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.views import defaults

    urlpatterns += [path("404/", defaults.page_not_found, {"exception": Exception()})]
