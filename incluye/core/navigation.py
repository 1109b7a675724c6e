"""The main navigation as data: each section, the permission that shows it, and which section the
current page belongs to (the longest matching URL prefix), for the context of every page."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, permission or None, extra condition on the membership or None)
SECTIONS = [
    ("home", _("My inbox"), None, None),
    ("people:intake", _("Register"), "people.register", None),
    ("people:today", _("Today"), "people.view", None),
    ("people:list", _("People"), "people.view", None),
    ("cases:my_work", _("My work"), "cases.view", None),
    ("cases:caseload", _("Cases"), "cases.view", None),
    ("referrals:list", _("Referrals"), "referrals.view", None),
    ("referrals:directory", _("Service directory"), "services.view", None),
    ("skills:standards", _("Standards"), "standards.view", None),
    ("alliance:network", _("Alliance"), "alliance.view", None),
    ("impact:dashboard", _("Indicators"), "indicators.view", None),
    ("impact:stories", _("Stories"), "stories.manage", None),
    ("jobs:home", _("Employment"), "vacancies.view", None),
    (
        "certification:sessions",
        _("Assessments"),
        "assessments.view",
        lambda m: m.organization.kind == "certifying_body",
    ),
    ("people:manifests", _("Manifests"), "manifests.import", None),
    ("people:duplicates", _("Duplicates"), "duplicates.review", None),
    ("accounts:members", _("Members"), "members.view", None),
    ("accounts:action_log", _("Action log"), "actionlog.view", None),
]


def navigation_for(membership, path: str) -> list[dict]:
    items = []
    for name, label, permission, condition in SECTIONS:
        if permission and not membership.can(permission):
            continue
        if condition and not condition(membership):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a section whose app is not installed in this deployment
            continue
        items.append({"url": url, "label": label, "active": False, "inbox": name == "home"})
    matches = [i for i in items if (path == i["url"] if i["url"] == "/" else path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return items
