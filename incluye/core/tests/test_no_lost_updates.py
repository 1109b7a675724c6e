"""No lost updates anywhere: a test that walks every URL naming a record (the access matrix's own
list, so a new URL is walked as soon as it is added there) and every form class.

1. Every such URL that accepts a change (a write method that is not refused with 405) is either in
   EDITS — it changes a stored record — or in NOT_EDITS with the reason it cannot lose an update
   (it only creates, deletes, or makes a one-way step under a row lock). A new one fails here,
   named, until it is classified.
2. Every record that EDITS changes, and every model a ModelForm writes, is `Versioned`: the models
   lacking it are named.
3. For each EDITS entry the test plays two people: someone else saves the record after the user
   read it; the user's change then answers 409 with what changed (API), or a form error that keeps
   what was typed and carries the current version (pages). Saving again, on purpose, goes through.

The web forms are read from the page itself (the HTML form that posts to the URL, with its hidden
version), so a template that forgets the version fails too.
"""

import importlib
import inspect
import pkgutil
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse

import incluye
from incluye.accounts.roles import Role
from incluye.accounts.tests.test_access import (  # noqa: F401
    APP_ACCESS,
    object_urls,
    participant_accounts,
    person,
    records,
)
from incluye.core.testing import client_for, make_member
from incluye.core.versioning import Versioned, save_versioned

pytestmark = pytest.mark.django_db
TYPED = "Texto escrito por la usuaria 7731"

# Views that accept a change but cannot lose one, and why.
CREATES = "creates a new record"
ONE_WAY = "a one-way step, refused once taken (under a row lock)"
DELETES = "deletes a record"
IMPORT = "the manifest import, all or nothing under its own lock"
NOT_EDITS = {
    "people:consent_add": CREATES,
    "people:draft_discard": DELETES,
    "people:manifest_mapping": IMPORT,
    "people:manifest_import": IMPORT,
    "api:manifest_import": IMPORT,
    "people:duplicate": ONE_WAY,
    "people:duplicate_alliance": ONE_WAY,  # the alliance review of a group: merged once, undone by a merge of its own
    "people:manifest_discard": ONE_WAY,
    "people:kobo_source_delete": DELETES,
    "people:kobo_pull": "starts a pull that creates a new manifest",
    "people:unmerge": ONE_WAY,
    "people:erase": ONE_WAY,
    "cases:open": CREATES,
    "cases:note_add": CREATES,
    "cases:task_add": CREATES,
    "cases:goal_add": CREATES,
    "cases:scan_upload": CREATES,
    "cases:screening_new": CREATES,
    "api:case_notes": CREATES,
    "api:case_tasks": CREATES,
    "api:case_screenings": CREATES,
    "api:person_consents": CREATES,
    "api:person_returns": CREATES,
    "referrals:new": CREATES,
    "accounts:api_token_revoke": ONE_WAY,
    "accounts:role_grant_decide": ONE_WAY,
    "skills:profile_start": CREATES,
    "skills:work_history": CREATES,
    "skills:work_remove": DELETES,
    "api:work_history": CREATES,
    "api:person_profiles": CREATES,
    "certification:enroll": CREATES,
    "certification:enrollment_withdraw": DELETES,
    "certification:certificate_issue": CREATES,
    "certification:certificate_revoke": ONE_WAY,
    "api:session_enroll": CREATES,
    "api:certificate_revoke": ONE_WAY,
    "jobs:vacancy_invite": CREATES,
    "jobs:person_shortlist": CREATES,
    "jobs:business_new": CREATES,
    "api:vacancy_invite": CREATES,
    "alliance:decision_add": CREATES,
    "impact:story_new": CREATES,
    "people:status_add": "records a new status (the one it follows ends the day before, a versioned write)",
    "people:status_document": (
        "records a document of one type, or its renewal: what is typed replaces that type's number and "
        "dates as a whole (the form shows no stored value to edit)"
    ),
    "referrals:handoff_person": CREATES,
    "referrals:transfer_new": CREATES,
    "referrals:handoff_close": ONE_WAY,
    "referrals:transfer_close": ONE_WAY,
    "referrals:access_close": ONE_WAY,
    "skills:qualification_add": CREATES,
    "skills:work_split": "creates a job of its own; the job it was split from is not changed",
    "participants:invite": (
        "(re)sends the invitation: nothing is typed, the account takes the person's registered phone as it is now"
    ),
    "participants:revoke": ONE_WAY,
    "participants:copy_delivered": ONE_WAY,
}


# --- what each editing view changes, and how a person uses it -----------------------------------


def _psychologist(personas, recs):
    return make_member(personas.org, Role.PSYCHOSOCIAL)


def _receiver(personas, recs):
    return make_member(recs["referral"].to_organization, Role.CASEWORKER)


def _accepted_referral(personas, recs):
    from incluye.referrals.services import referral_accept

    referral = recs["referral"]
    referral_accept(membership=_receiver(personas, recs), referral=referral)
    return referral


def _closed_case(personas, recs):
    from incluye.cases.services import case_close

    case = recs["case"]
    case_close(
        membership=personas.caseworker,
        case=case,
        reason="completed",
        outcome="Listo",
        expected_version=case.version,
    )
    return case


def _open_application(personas, recs):
    from incluye.jobs.services import vacancy_shortlist
    from incluye.people.services import person_register

    somebody = person_register(
        membership=personas.staff, given_names="Marta", first_surname="Ajú", nationality_id="GT"
    )
    from incluye.people.services import consent_record

    consent_record(
        membership=personas.caseworker,
        person=somebody,
        purpose="employer_profile",
        given=True,
        method="signed_form",
    )
    return vacancy_shortlist(membership=personas.caseworker, person=somebody, vacancy=recs["vacancy"])


def _coded_profile(personas, recs):
    from incluye.skills.models import Occupation
    from incluye.skills.services import profile_add_occupation

    profile = recs["profile"]
    profile_add_occupation(
        membership=personas.caseworker, profile=profile, occupation=Occupation.objects.get(code="35-2014.00")
    )
    return profile


def _enrollment_open_to_results(personas, recs):
    """The recs' enrollment, before its certificate (results cannot change once issued)."""
    from incluye.certification.models import Certificate

    Certificate.objects.filter(pk=recs["certificate"].pk).delete()
    return recs["enrollment"]


def _availability(personas, recs):
    from incluye.jobs.services import availability_set

    return availability_set(membership=personas.caseworker, person=recs["person"], looking_for_work=True)


def _kobo_source(personas, recs):
    from incluye.people.models import KoboSource

    return KoboSource.objects.create(
        organization=personas.org,
        name="Llegadas por tierra",
        server_url="https://kf.kobotoolbox.org",
        asset_uid="aBcD1234eFgH",
        token="token-de-prueba",
    )


def _acknowledged_alert(personas, recs):
    from incluye.cases.services import alert_acknowledge

    alert = recs["alert"]
    return alert_acknowledge(
        membership=_psychologist(personas, recs), alert=alert, expected_version=alert.version
    )


def _migration_status(personas, recs):
    import datetime

    from incluye.people.services import migration_status_record

    return migration_status_record(
        membership=personas.caseworker,
        person=recs["person"],
        kind="asylum_seeker",
        since=datetime.date(2026, 1, 15),
    )


def _act_receiver(kind):
    return lambda personas, recs: make_member(recs[kind].to_organization, Role.CASEWORKER)


def _act_sender(kind):
    return lambda personas, recs: personas.staff if kind == "handoff" else personas.caseworker


def _participant_invitation(personas, recs):
    """An employer's invitation waiting for the answer of a person who has their own page."""
    from incluye.jobs.services import candidate_invite
    from incluye.people.services import consent_record, person_register

    somebody = person_register(
        membership=personas.staff,
        given_names="Rosa",
        first_surname="Chiquín",
        nationality_id="GT",
        phone="+50255504321",
    )
    consent_record(
        membership=personas.caseworker,
        person=somebody,
        purpose="employer_profile",
        given=True,
        method="signed_form",
    )
    return candidate_invite(membership=personas.employer, vacancy=recs["vacancy"], person=somebody)


def _the_person(personas, recs):
    """The person themselves, signed in at their own page (/me/) — a browser, not a membership."""
    from incluye.participants.models import ParticipantAccount
    from incluye.participants.services import participant_invite
    from incluye.participants.testing import participant_client

    application = recs["vacancy"].applications.get(person__given_names="Rosa")
    account = ParticipantAccount.objects.filter(person=application.person).first()
    account = account or participant_invite(membership=personas.caseworker, person=application.person)
    return participant_client(account)


def _first(getter):
    return lambda personas, recs: getter(recs)


class Page:
    """A change made through a page: the form that posts to `url` on `page`, as `who`."""

    def __init__(self, record, page, url, who="admin", typed=None, button=None):
        self.record, self.page, self.url, self.who = record, page, url, who
        self.typed, self.button = typed, button


class Api:
    """A change made through the API: `method` on `url` with `data` (the version is added)."""

    def __init__(self, record, method, url, data, who="admin"):
        self.record, self.method, self.url, self.data, self.who = record, method, url, data, who


def _cw(personas, recs):
    return personas.caseworker


def _body(personas, recs):
    return recs["certification_body_admin"]


def _employer(personas, recs):
    return personas.employer


def _coordinator(personas, recs):
    return make_member(personas.org, Role.COORDINATOR)


def _occupation_code():
    return "35-2014.00"


def _acts():
    """The pathway's handoffs, transfers and access requests: answered by the receiving organization
    (accept, decline), withdrawn by the sender."""
    edits = {}
    for kind in ("handoff", "transfer", "access"):
        detail = (lambda k: lambda r, o: reverse(f"referrals:{k}", args=[o.pk]))(kind)
        record = (lambda k: _first(lambda r: r[k]))(kind)
        edits[f"referrals:{kind}_accept"] = Page(
            record,
            detail,
            (lambda k: lambda r, o: reverse(f"referrals:{k}_accept", args=[o.pk]))(kind),
            who=_act_receiver(kind),
            button=None if kind == "access" else (lambda who: {"caseworker": str(who.user_id)}),
        )
        edits[f"referrals:{kind}_decline"] = Page(
            record,
            detail,
            (lambda k: lambda r, o: reverse(f"referrals:{k}_decline", args=[o.pk]))(kind),
            who=_act_receiver(kind),
            typed="reason",
        )
        edits[f"referrals:{kind}_cancel"] = Page(
            record,
            detail,
            (lambda k: lambda r, o: reverse(f"referrals:{k}_cancel", args=[o.pk]))(kind),
            who=_act_sender(kind),
        )
    return edits


EDITS = {
    **_acts(),
    "cases:alert_acknowledge": Page(
        _first(lambda r: r["alert"]),
        lambda r, o: reverse("cases:alert", args=[o.pk]),
        lambda r, o: reverse("cases:alert_acknowledge", args=[o.pk]),
        who=_psychologist,
    ),
    "cases:alert_plan": Page(
        _acknowledged_alert,
        lambda r, o: reverse("cases:alert", args=[o.pk]),
        lambda r, o: reverse("cases:alert_plan", args=[o.pk]),
        who=_psychologist,
        typed="note",
    ),
    "people:status_end": Page(
        _migration_status,
        lambda r, o: reverse("people:status", args=[o.person_id]),
        lambda r, o: reverse("people:status_end", args=[o.person_id, o.pk]),
        who=_cw,
    ),
    "skills:qualification_step": Page(
        _first(lambda r: r["qualification"]),
        lambda r, o: reverse("skills:work_history", args=[o.person_id]),
        lambda r, o: reverse("skills:qualification_step", args=[o.pk]),
        who=_cw,
    ),
    "people:correct": Page(
        _first(lambda r: r["person"]),
        lambda r, o: reverse("people:correct", args=[o.pk]),
        lambda r, o: reverse("people:correct", args=[o.pk]),
        who=_cw,
        typed="preferred_name",
    ),
    "people:kobo_source": Page(
        _kobo_source,
        lambda r, o: reverse("people:kobo_source", args=[o.pk]),
        lambda r, o: reverse("people:kobo_source", args=[o.pk]),
        typed="name",
    ),
    "cases:move": Page(
        _first(lambda r: r["case"]),
        lambda r, o: reverse("cases:detail", args=[o.pk]),
        lambda r, o: reverse("cases:move", args=[o.pk]),
        who=_cw,
        typed="note",
    ),
    "cases:close": Page(
        _first(lambda r: r["case"]),
        lambda r, o: reverse("cases:close", args=[o.pk]),  # closing has its own page, which asks first
        lambda r, o: reverse("cases:close", args=[o.pk]),
        who=_cw,
        typed="outcome",
    ),
    "cases:reopen": Page(
        _closed_case,
        lambda r, o: reverse("cases:detail", args=[o.pk]),
        lambda r, o: reverse("cases:reopen", args=[o.pk]),
        who=_cw,
    ),
    "cases:task_done": Page(
        _first(lambda r: r["task"]),
        lambda r, o: reverse("cases:my_work"),
        lambda r, o: reverse("cases:task_done", args=[o.pk]),
        who=_cw,
    ),
    "cases:document_update": Page(
        _first(lambda r: r["document"]),
        lambda r, o: reverse("cases:detail", args=[o.case_id]),
        lambda r, o: reverse("cases:document_update", args=[o.pk]),
        who=_cw,
        typed="appointment_place",
    ),
    "cases:follow_up": Page(
        _first(lambda r: r["case"].follow_ups.first()),
        lambda r, o: reverse("cases:follow_up", args=[o.pk]),
        lambda r, o: reverse("cases:follow_up", args=[o.pk]),
        who=_cw,
    ),
    "cases:goal_status": Page(
        _first(lambda r: r["goal"]),
        lambda r, o: reverse("cases:detail", args=[o.case_id]),
        lambda r, o: reverse("cases:goal_status", args=[o.pk]),
        who=_cw,
        button={"status": "achieved"},
    ),
    "referrals:accept": Page(
        _first(lambda r: r["referral"]),
        lambda r, o: reverse("referrals:detail", args=[o.pk]),
        lambda r, o: reverse("referrals:accept", args=[o.pk]),
        who=_receiver,
    ),
    "referrals:decline": Page(
        _first(lambda r: r["referral"]),
        lambda r, o: reverse("referrals:detail", args=[o.pk]),
        lambda r, o: reverse("referrals:decline", args=[o.pk]),
        who=_receiver,
        typed="reason",
    ),
    "referrals:complete": Page(
        _accepted_referral,
        lambda r, o: reverse("referrals:detail", args=[o.pk]),
        lambda r, o: reverse("referrals:complete", args=[o.pk]),
        who=_receiver,
        typed="outcome",
    ),
    "referrals:cancel": Page(
        _first(lambda r: r["referral"]),
        lambda r, o: reverse("referrals:detail", args=[o.pk]),
        lambda r, o: reverse("referrals:cancel", args=[o.pk]),
        who=_cw,
    ),
    "referrals:service_edit": Page(
        _first(lambda r: r["service"]),
        lambda r, o: reverse("referrals:service_edit", args=[o.pk]),
        lambda r, o: reverse("referrals:service_edit", args=[o.pk]),
        typed="description",
    ),
    "accounts:member_edit": Page(
        lambda personas, r: personas.staff,
        lambda r, o: reverse("accounts:member_edit", args=[o.pk]),
        lambda r, o: reverse("accounts:member_edit", args=[o.pk]),
        button={"read_only": "on"},
    ),
    "skills:work_edit": Page(
        _first(lambda r: r["job"]),
        lambda r, o: reverse("skills:work_edit", args=[o.pk]),
        lambda r, o: reverse("skills:work_edit", args=[o.pk]),
        who=_cw,
        typed="employer",
    ),
    "skills:work_code": Page(
        _first(lambda r: r["job"]),
        lambda r, o: reverse("skills:work_suggestions", args=[o.pk]) + "?q=cocinero",
        lambda r, o: reverse("skills:work_code", args=[o.pk]),
        who=_cw,
    ),
    "skills:profile": Page(
        _first(lambda r: r["profile"]),
        lambda r, o: reverse("skills:profile", args=[o.pk]),
        lambda r, o: reverse("skills:profile", args=[o.pk]),
        who=_cw,
        typed="summary",
    ),
    "skills:profile_add_occupation": Page(
        _first(lambda r: r["profile"]),
        lambda r, o: reverse("skills:profile", args=[o.pk]) + "?q=cocinero",
        lambda r, o: reverse("skills:profile_add_occupation", args=[o.pk]),
        who=_cw,
    ),
    "skills:profile_skill_remove": Page(
        _coded_profile,
        lambda r, o: reverse("skills:profile", args=[o.pk]),
        lambda r, o: reverse("skills:profile_skill_remove", args=[o.pk]),
        who=_cw,
    ),
    "skills:profile_sign": Page(
        _coded_profile,
        lambda r, o: reverse("skills:profile", args=[o.pk]),
        lambda r, o: reverse("skills:profile_sign", args=[o.pk]),
        who=_cw,
    ),
    "certification:enrollment_attendance": Page(
        _enrollment_open_to_results,
        None,  # no page shows this form any more: posted as a client would
        lambda r, o: reverse("certification:enrollment_attendance", args=[o.pk]),
        who=_body,
        button={"attendance": "present"},
    ),
    "certification:session": Page(
        _enrollment_open_to_results,
        lambda r, o: reverse("certification:session", args=[o.session_id]),
        lambda r, o: reverse("certification:session", args=[o.session_id]),
        who=_body,
    ),
    "certification:enrollment": Page(
        _enrollment_open_to_results,
        lambda r, o: reverse("certification:enrollment", args=[o.pk]),
        lambda r, o: reverse("certification:enrollment", args=[o.pk]),
        who=_body,
    ),
    "jobs:vacancy_edit": Page(
        _first(lambda r: r["vacancy"]),
        lambda r, o: reverse("jobs:vacancy_edit", args=[o.pk]),
        lambda r, o: reverse("jobs:vacancy_edit", args=[o.pk]),
        who=_employer,
        typed="description",
    ),
    "jobs:application_step": Page(
        _open_application,
        lambda r, o: reverse("jobs:application", args=[o.pk]),
        lambda r, o: reverse("jobs:application_step", args=[o.pk]),
        who=_cw,
    ),
    "me:job_answer": Page(
        _participant_invitation,
        lambda r, o: reverse("me:job", args=[o.pk]),
        lambda r, o: reverse("me:job_answer", args=[o.pk]),
        who=_the_person,
        button={"answer": "accept"},
    ),
    "jobs:follow_up": Page(
        _first(lambda r: r["follow_up"]),
        lambda r, o: reverse("jobs:person", args=[o.placement.person_id]),
        lambda r, o: reverse("jobs:follow_up", args=[o.pk]),
        who=_cw,
        button={"still_employed": "yes"},
    ),
    "jobs:person": Page(
        _availability,
        lambda r, o: reverse("jobs:person", args=[o.person_id]),
        lambda r, o: reverse("jobs:person", args=[o.person_id]),
        who=_cw,
    ),
    "jobs:business": Page(
        _first(lambda r: r["business"]),
        lambda r, o: reverse("jobs:business", args=[o.pk]),
        lambda r, o: reverse("jobs:business", args=[o.pk]),
        who=_cw,
        typed="idea",
    ),
    "alliance:commitment_move": Page(
        _first(lambda r: r["commitment"]),
        lambda r, o: reverse("alliance:network"),
        lambda r, o: reverse("alliance:commitment_move", args=[o.pk]),
        who=_coordinator,
        button={"status": "in_progress"},
    ),
    "impact:story": Page(
        _first(lambda r: r["story"]),
        lambda r, o: reverse("impact:story", args=[o.pk]),
        lambda r, o: reverse("impact:story", args=[o.pk]),
        who=_cw,
        typed="text_es",
    ),
    "impact:story_step": Page(
        _first(lambda r: r["story"]),
        lambda r, o: reverse("impact:story", args=[o.pk]),
        lambda r, o: reverse("impact:story_step", args=[o.pk, "withdraw"]),
        who=_cw,
    ),
    "api:case_change": Api(
        _first(lambda r: r["case"]),
        "post",
        lambda r, o: reverse("api:case_change", args=[o.pk]),
        {"action": "move", "to_status": "psychosocial"},
        who=_cw,
    ),
    "api:person": Api(
        _first(lambda r: r["person"]),
        "patch",
        lambda r, o: reverse("api:person", args=[o.pk]),
        {"preferred_name": TYPED[:80]},
        who=_cw,
    ),
    "api:case_document": Api(
        _first(lambda r: r["document"]),
        "patch",
        lambda r, o: reverse("api:case_document", args=[o.pk]),
        {"status": "requested"},
        who=_cw,
    ),
    "api:referral_step": Api(
        _first(lambda r: r["referral"]),
        "post",
        lambda r, o: reverse("api:referral_step", args=[o.pk]),
        {"step": "accept"},
        who=_receiver,
    ),
    "api:work_experience": Api(
        _first(lambda r: r["job"]),
        "put",
        lambda r, o: reverse("api:work_experience", args=[o.pk]),
        {"job_title": "cocinero de línea", "employer": TYPED},
        who=_cw,
    ),
    "api:work_code": Api(
        _first(lambda r: r["job"]),
        "post",
        lambda r, o: reverse("api:work_code", args=[o.pk]),
        {"occupation": "35-2014.00"},
        who=_cw,
    ),
    "api:profile_sign": Api(
        _coded_profile,
        "post",
        lambda r, o: reverse("api:profile_sign", args=[o.pk]),
        {},
        who=_cw,
    ),
    "api:enrollment": Api(
        _first(lambda r: r["enrollment"]),
        "patch",
        lambda r, o: reverse("api:enrollment", args=[o.pk]),
        {"attendance": "present"},
        who=_body,
    ),
    "api:enrollment_results": Api(
        _enrollment_open_to_results,
        "post",
        lambda r, o: reverse("api:enrollment_results", args=[o.pk]),
        {"results": [{"unit": "U1", "outcome": "competent", "evidence": TYPED}]},
        who=_body,
    ),
    "api:vacancy": Api(
        _first(lambda r: r["vacancy"]),
        "put",
        lambda r, o: reverse("api:vacancy", args=[o.pk]),
        None,  # the vacancy as read, changed a little (see _vacancy_body)
        who=_employer,
    ),
    "api:application_step": Api(
        _open_application,
        "post",
        lambda r, o: reverse("api:application_step", args=[o.pk]),
        {"to_status": "referred"},
        who=_cw,
    ),
}


# --- reading a form from a page -------------------------------------------------------------------


class _Forms(HTMLParser):
    """Every form of a page: its action and the values a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "fields": [], "names": set()}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            self._form["names"].add(a["name"])
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self._form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "first": None, "chosen": [], "multiple": "multiple" in a}
            self._form["names"].add(a["name"])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
            self._form["names"].add(a["name"])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            chosen = select["chosen"] or ([] if select["multiple"] else [select["first"] or ""])
            self._form["fields"].extend((select["name"], value) for value in chosen)
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None


def form_posting_to(html: str, page_url: str, url: str, containing: str | None = None) -> dict:
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        action = form["action"] or page_url.split("?")[0]
        has_field = containing is None or any(
            n == containing or n.endswith(f"-{containing}") for n in form["names"]
        )
        has_field = has_field and any("version" in n for n in form["names"])
        if action == url and has_field:
            data: dict = {}
            for name, value in form["fields"]:
                data.setdefault(name, []).append(value)
            return {"data": data, "names": form["names"]}
    raise AssertionError(f"No form on {page_url} posts to {url} with the version it shows")


# --- the walk ----------------------------------------------------------------------------------------


def _owners(personas, recs):
    owners = {}
    for module in APP_ACCESS:
        if hasattr(module, "owner"):
            for method, url in module.urls(personas, recs):
                membership = module.owner(personas, recs, url, method)
                if membership is not None:
                    owners[url] = membership
    return owners


def _accepts_changes(client, url) -> bool:
    """An API view that has a write method; a page that answers a POST otherwise than a GET (a page
    that only shows something answers both alike, or refuses the POST with 405)."""
    match = resolve(url)
    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    if view_class is not None:
        return any(hasattr(view_class, m) for m in ("post", "put", "patch", "delete"))
    with transaction.atomic():
        # (a body, so that `request.POST or None` binds the page's form)
        post, get = client.post(url, {"probe": "1"}).status_code, client.get(url).status_code
        transaction.set_rollback(True)
    return post != 405 and post != get


def test_every_url_that_changes_a_record_is_classified_and_every_record_it_changes_is_versioned(
    personas,
    records,  # noqa: F811
):
    from incluye.participants.testing import participant_client

    owners = _owners(personas, records)
    participants = participant_accounts(personas, records)
    admin = client_for(personas.admin)
    writable = set()
    for _method, url in object_urls(personas, records):
        if url in participants:
            client = participant_client(participants[url])
        else:
            client = client_for(owners[url]) if url in owners else admin
        if _accepts_changes(client, url):
            writable.add(resolve(url).view_name)
    unclassified = sorted(writable - set(EDITS) - set(NOT_EDITS))
    assert not unclassified, (
        f"URLs that accept changes but are neither in EDITS (with a stale-write check) nor in "
        f"NOT_EDITS (with the reason they cannot lose an update): {unclassified}"
    )
    assert not sorted(set(EDITS) - writable), "EDITS names a view that accepts no change"
    lacking = sorted(
        {
            f"{type(entry.record(personas, records))._meta.label}"
            for entry in EDITS.values()
            if not isinstance(entry.record(personas, records), Versioned)
        }
    )
    assert not lacking, f"Models changed by a form or the API without a version: {lacking}"


def _model_forms():
    for info in pkgutil.walk_packages(incluye.__path__, "incluye."):
        if (
            ".tests" in info.name
            or ".migrations" in info.name
            or not info.name.rsplit(".", 1)[-1].startswith("forms")
        ):
            continue
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            meta = getattr(cls, "_meta", None)
            if cls.__module__ == module.__name__ and getattr(meta, "model", None) is not None:
                yield cls


def test_every_model_a_model_form_writes_is_versioned():
    forms = list(_model_forms())
    assert forms  # the walk finds them (the story form, at least)
    lacking = sorted(
        {
            f.__name__ + " → " + f._meta.model._meta.label
            for f in forms
            if not issubclass(f._meta.model, Versioned)
        }
    )
    assert not lacking, f"ModelForms that write a model without a version: {lacking}"


def _someone_else_saves(obj):
    """Another person saves the record after the user read it (nothing else changes)."""
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    save_versioned(fresh, expected_version=fresh.version, fields=[])
    return fresh.version


def _post_without_page(client, button, obj, url, view_name):
    model = type(obj)
    read = model._base_manager.get(pk=obj.pk).version
    current = _someone_else_saves(obj)
    stale = client.post(url, {**button, "version": read}, follow=True)
    assert "Alguien más cambió este registro" in stale.content.decode(), view_name
    assert model._base_manager.get(pk=obj.pk).version == current
    client.post(url, {**button, "version": current}, follow=True)
    assert model._base_manager.get(pk=obj.pk).version > current, view_name


def _vacancy_body(vacancy):
    return {
        "title": vacancy.title,
        "description": TYPED,
        "occupation": vacancy.occupation.code,
        "municipality": vacancy.municipality.code,
    }


@pytest.mark.parametrize("view_name", sorted(EDITS))
def test_a_change_made_on_an_old_copy_is_refused_and_says_so(personas, records, view_name):  # noqa: F811
    entry = EDITS[view_name]
    obj = entry.record(personas, records)
    who = entry.who(personas, records) if callable(entry.who) else getattr(personas, entry.who)
    client = who if isinstance(who, Client) else client_for(who)
    model = type(obj)
    button = getattr(entry, "button", None) or {}
    button = button(who) if callable(button) else button
    if isinstance(entry, Api):
        url = entry.url(records, obj)
        read = model._base_manager.get(pk=obj.pk).version
        data = _vacancy_body(obj) if entry.data is None else dict(entry.data)
        current = _someone_else_saves(obj)
        stale = getattr(client, entry.method)(url, {**data, "version": read}, content_type="application/json")
        assert stale.status_code == 409, (view_name, stale.status_code, stale.content[:300])
        error = stale.json()["error"]
        assert error["code"] == "stale" and error["current_version"] == current
        assert "Alguien más cambió este registro" in error["message"]
        assert model._base_manager.get(pk=obj.pk).version == current  # nothing was written
        again = getattr(client, entry.method)(
            url, {**data, "version": current}, content_type="application/json"
        )
        assert again.status_code in (200, 201), (view_name, again.status_code, again.content[:300])
        return
    url = entry.url(records, obj)
    if entry.page is None:
        _post_without_page(client, button, obj, url, view_name)
        return
    page_url = entry.page(records, obj)
    page = client.get(page_url)
    assert page.status_code == 200, (view_name, page.status_code)
    form = form_posting_to(page.content.decode(), page_url, url, entry.typed)
    data = form["data"]
    assert any("version" in name for name in form["names"]), f"{view_name}: the form carries no version"
    if entry.typed:
        key = next(n for n in form["names"] if n == entry.typed or n.endswith(f"-{entry.typed}"))
        data[key] = [TYPED]
    data.update({k: [v] for k, v in button.items()})
    current = _someone_else_saves(obj)
    stale = client.post(url, data, follow=True)
    text = stale.content.decode()
    assert "Alguien más cambió este registro" in text, (view_name, stale.status_code)
    assert model._base_manager.get(pk=obj.pk).version == current  # nothing was written
    if entry.typed and stale.redirect_chain == []:
        assert TYPED in text  # what was typed is kept
    # Saving again from a fresh page is a deliberate choice: it goes through.
    page = client.get(page_url)
    form = form_posting_to(page.content.decode(), page_url, url, entry.typed)
    data = {**form["data"], **{k: [v] for k, v in button.items()}}
    if entry.typed:
        data[key] = [TYPED]
    again = client.post(url, data, follow=True)
    assert "Alguien más cambió este registro" not in again.content.decode(), view_name
    assert model._base_manager.get(pk=obj.pk).version > current, view_name
