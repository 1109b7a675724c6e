from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from incluye.accounts.api import MeView, OrganizationDetailView
from incluye.cases.api import (
    CaseChangeView,
    CaseDetailView,
    CaseDocumentView,
    CaseListView,
    CaseNotesView,
    CaseScreeningsView,
    CaseTasksView,
)
from incluye.core.api import CountryListView, DivisionListView, IdValidationView, PhoneValidationView
from incluye.people.api import (
    ManifestDetailView,
    ManifestErrorsView,
    ManifestImportView,
    ManifestListView,
    PersonConsentsView,
    PersonDetailView,
    PersonListView,
    PersonReturnsView,
    SearchView,
)
from incluye.referrals.api import ReferralDetailView, ReferralListView, ReferralSendView, ReferralStepView
from incluye.skills.api import (
    CoderView,
    PersonProfilesView,
    ProfileSignView,
    ProfileView,
    StandardListView,
    WorkCodeView,
    WorkExperienceView,
    WorkHistoryView,
)

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[AllowAny]),
        name="docs",
    ),
    path("v1/me/", MeView.as_view(), name="me"),
    path("v1/organizations/<int:pk>/", OrganizationDetailView.as_view(), name="organization"),
    path("v1/countries/", CountryListView.as_view(), name="countries"),
    path("v1/countries/<str:code>/divisions/", DivisionListView.as_view(), name="divisions"),
    path("v1/validate/id-document/", IdValidationView.as_view(), name="validate_id"),
    path("v1/validate/phone/", PhoneValidationView.as_view(), name="validate_phone"),
    path("v1/people/", PersonListView.as_view(), name="people"),
    path("v1/people/<uuid:pk>/", PersonDetailView.as_view(), name="person"),
    path("v1/people/<uuid:pk>/returns/", PersonReturnsView.as_view(), name="person_returns"),
    path("v1/people/<uuid:pk>/consents/", PersonConsentsView.as_view(), name="person_consents"),
    path("v1/search/", SearchView.as_view(), name="search"),
    path("v1/cases/", CaseListView.as_view(), name="cases"),
    path("v1/cases/<uuid:pk>/", CaseDetailView.as_view(), name="case"),
    path("v1/cases/<uuid:pk>/change/", CaseChangeView.as_view(), name="case_change"),
    path("v1/cases/<uuid:pk>/notes/", CaseNotesView.as_view(), name="case_notes"),
    path("v1/cases/<uuid:pk>/tasks/", CaseTasksView.as_view(), name="case_tasks"),
    path("v1/cases/<uuid:pk>/screenings/", CaseScreeningsView.as_view(), name="case_screenings"),
    path("v1/case-documents/<int:pk>/", CaseDocumentView.as_view(), name="case_document"),
    path("v1/referrals/", ReferralListView.as_view(), name="referrals"),
    path("v1/referrals/send/", ReferralSendView.as_view(), name="referral_send"),
    path("v1/referrals/<uuid:pk>/", ReferralDetailView.as_view(), name="referral"),
    path("v1/referrals/<uuid:pk>/step/", ReferralStepView.as_view(), name="referral_step"),
    path("v1/people/<uuid:pk>/work-history/", WorkHistoryView.as_view(), name="work_history"),
    path("v1/people/<uuid:pk>/skills-profiles/", PersonProfilesView.as_view(), name="person_profiles"),
    path("v1/work-history/<uuid:pk>/", WorkExperienceView.as_view(), name="work_experience"),
    path("v1/work-history/<uuid:pk>/code/", WorkCodeView.as_view(), name="work_code"),
    path("v1/coder/", CoderView.as_view(), name="coder"),
    path("v1/skills-profiles/<uuid:pk>/", ProfileView.as_view(), name="profile"),
    path("v1/skills-profiles/<uuid:pk>/sign/", ProfileSignView.as_view(), name="profile_sign"),
    path("v1/standards/", StandardListView.as_view(), name="standards"),
    path("v1/manifests/", ManifestListView.as_view(), name="manifests"),
    path("v1/manifests/<uuid:pk>/", ManifestDetailView.as_view(), name="manifest"),
    path("v1/manifests/<uuid:pk>/import/", ManifestImportView.as_view(), name="manifest_import"),
    path("v1/manifests/<uuid:pk>/errors/", ManifestErrorsView.as_view(), name="manifest_errors"),
    path("v1/", include("incluye.certification.api_urls")),
    path("v1/", include("incluye.jobs.api_urls")),
    path("v1/", include("incluye.alliance.api_urls")),
    path("v1/", include("incluye.impact.api_urls")),
]
