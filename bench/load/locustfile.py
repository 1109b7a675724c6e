"""Load test (issue 9, Trust): reception officers, caseworkers and employers at work, against
gunicorn on loopback. bench/load/run.sh prepares everything and runs it; by hand:

    LOAD_FIXTURES=/tmp/incluye-load/fixtures.json /tmp/locust-venv/bin/locust \\
        -f bench/load/locustfile.py --host http://127.0.0.1:8800 --headless -u 25 -r 0.4 -t 4m

`LOAD_FIXTURES` is the JSON that bench/load/setup.py writes: the demo accounts per role (with the
membership each one works as) and, per country, names of real records for the search as you type.
`LOAD_THINK_SCALE` (default 1) multiplies every think time: at 0.1 ten users ask as much as a
hundred would, which finds the server's capacity without signing in hundreds of users (allauth
lets 30 sign-ins a minute through per IP and worker).

Each virtual user signs in once through allauth's form, as one of the accounts of its role, and
works until the end: one request per page view, named by page (`name=`) so that the report
groups per page, not per URL. Redirects are not followed: a form that answers 302 is one request
and the page it leads to is the next one, measured under that page's name; an unexpected redirect
(to the sign-in page, say) is a failure.

The client stands in for the TLS-terminating proxy in front of gunicorn (`DEBUG=0` turns on
HTTPS-only cookies, HSTS and the redirect to HTTPS): it sends `X-Forwarded-Proto: https`, which
`SECURE_PROXY_SSL_HEADER` trusts, and an https Referer for the CSRF check. TLS itself is not
measured.
"""

import json
import os
import random
import re
import time
import unicodedata
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import quote, urlsplit

from locust import FastHttpUser, between, task
from locust.exception import StopUser

FIXTURES = json.loads(
    Path(os.environ.get("LOAD_FIXTURES", "/tmp/incluye-load/fixtures.json")).read_text(encoding="utf-8")
)
PASSWORD = FIXTURES["password"]
TODAY = FIXTURES["today"]
# Think times (between pages, between keys, writing a note) are multiplied by this: 0.1 makes 10
# users ask as much as 100 would, to find the server's capacity without signing in 100 users.
THINK = float(os.environ.get("LOAD_THINK_SCALE", "1"))

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
PERSON_LINK = re.compile(rf'href="/people/({UUID})/"')
CASE_LINK = re.compile(rf'href="/cases/({UUID})/"')
VACANCY_LINK = re.compile(rf'href="/jobs/vacancies/({UUID})/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SWITCHER = re.compile(r'<select id="membership-switch" name="membership">(.*?)</select>', re.S)
SELECTED = re.compile(r'<option value="(\d+)" selected')

NOTES = [
    "Llamada de seguimiento: la persona confirma su dirección y pide apoyo para su DPI.",
    "Se acompañó a la cita; queda pendiente la constancia de estudios.",
    "Interesada en el taller de emprendimiento; se le explicó el proceso de referencia.",
    "Reporta que consiguió trabajo temporal en construcción; seguimiento en un mes.",
]


class BehindTheProxy(DefaultCookiePolicy):
    """Sends the HTTPS-only cookies over the loopback's plain HTTP, as the proxy's hop does."""

    def return_ok_secure(self, cookie, request):
        return True


def pause(low: float, high: float) -> None:
    time.sleep(random.uniform(low, high) * THINK)


def fold(text: str) -> str:
    """What an officer in a hurry types: lower case, no accents."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")


class Staff(FastHttpUser):
    """A member of staff: signs in once, then works. Subclasses set `role` (a key of the fixture's
    accounts) and their tasks."""

    abstract = True
    role = ""

    def on_start(self):
        accounts = FIXTURES["accounts"][self.role]
        self.account = random.choices(accounts, weights=[a["weight"] for a in accounts])[0]
        self.origin = "https://" + urlsplit(self.host).netloc
        self.client.cookiejar.set_policy(BehindTheProxy())
        self.sign_in()

    # -- HTTP --------------------------------------------------------------------------------

    def headers(self, referer: str = "/", **extra) -> dict:
        return {"X-Forwarded-Proto": "https", "Referer": self.origin + referer, **extra}

    def get(self, path: str, name: str, *, expect: str = "", htmx: bool = False, referer: str = "/") -> str:
        """GET a page; a failure unless it answers 200 (with `expect` in it, when given)."""
        extra = {"HX-Request": "true", "HX-Current-URL": self.origin + referer} if htmx else {}
        with self.client.get(
            path,
            name=name,
            headers=self.headers(referer, **extra),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            text = response.text or ""
            if response.status_code != 200:
                location = response.headers.get("Location", "") if response.headers else ""
                response.failure(f"{response.status_code} {location}".strip())
                return ""
            if expect and expect not in text:
                response.failure(f"{expect!r} missing from the page")
                return ""
            response.success()
            return text

    def post(self, path: str, name: str, data: dict, *, referer: str, ok=(302,)) -> tuple[int, str, str]:
        """POST a form; returns (status, Location, body). A failure unless the status is in `ok`."""
        with self.client.post(
            path,
            name=name,
            data=data,
            headers=self.headers(referer),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = (response.headers.get("Location", "") if response.headers else "") or ""
            text = response.text or ""
            if response.status_code not in ok:
                response.failure(f"{response.status_code} {location}".strip())
            elif location.startswith("/accounts/login/"):
                response.failure("redirected to the sign-in page")
            else:
                response.success()
            return response.status_code, location, text

    def token(self, page: str) -> str:
        match = CSRF.search(page)
        return match.group(1) if match else ""

    # -- signing in ----------------------------------------------------------------------------

    def sign_in(self):
        form = self.get("/accounts/login/", "/accounts/login/ (form)", referer="/accounts/login/")
        status, location, _ = self.post(
            "/accounts/login/",
            "/accounts/login/ (POST sign in)",
            {"csrfmiddlewaretoken": self.token(form), "login": self.account["email"], "password": PASSWORD},
            referer="/accounts/login/",
        )
        if status != 302 or location.startswith("/accounts/"):
            time.sleep(5)
            raise StopUser
        home = self.get("/", "/ (home)", referer="/accounts/login/")
        # Users with several memberships pick the one they work as (the demo's coordinator has two).
        switcher = SWITCHER.search(home)
        if switcher:
            selected = SELECTED.search(switcher.group(1))
            if not selected or int(selected.group(1)) != self.account["membership"]:
                self.post(
                    "/switch/",
                    "/switch/ (POST membership)",
                    {"csrfmiddlewaretoken": self.token(home), "membership": self.account["membership"]},
                    referer="/",
                )


class ReceptionOfficer(Staff):
    """At the reception center on a flight day: the day's list, search as you type, the person's
    record, and now and then a new arrival typed at the desk."""

    weight = 5
    role = "reception"
    wait_time = between(3 * THINK, 10 * THINK)

    def on_start(self):
        super().on_start()
        self.names = FIXTURES["names"][self.account["country"]]
        self.seen: list[str] = []  # people on the last list or search

    @task(3)
    def day_list(self):
        page = self.get("/people/today/", "/people/today/ (day's list)", referer="/people/today/")
        self.seen = PERSON_LINK.findall(page)[:30] or self.seen

    @task(6)
    def search(self):
        """Typing a name: htmx asks after each pause of 250 ms, so a request every 2–5 keys."""
        record = random.choice(self.names)
        given, first, second = record["given"], record["first"], record["second"]
        form = random.random()
        if form < 0.3:
            query = f"{first} {second} {given.split()[0]}"
        elif form < 0.8:
            query = f"{given} {first} {second}"
        else:
            query = f"{given.split()[0]} {first}"
        query = " ".join(query.split())
        if random.random() < 0.6:
            query = fold(query)
        cut = 3
        hits = []
        while True:
            cut = min(len(query), cut)
            typed = query[:cut].strip()
            page = self.get(
                f"/people/?q={quote(typed)}",
                "/people/?q= (search as you type, htmx)",
                htmx=True,
                referer="/people/",
            )
            hits = PERSON_LINK.findall(page) or hits
            if cut >= len(query):
                break
            cut += random.randint(2, 5)
            pause(0.3, 0.8)
        if hits:
            self.seen = hits[:10]
            if random.random() < 0.7:
                pause(1, 3)
                self.open(hits[0], referer="/people/")

    @task(3)
    def open_person(self):
        if not self.seen:
            self.day_list()
        if self.seen:
            self.open(random.choice(self.seen), referer="/people/today/")

    def open(self, pk: str, referer: str):
        self.get(f"/people/{pk}/", "/people/<id>/ (person)", referer=referer)

    @task(1)
    def register_arrival(self):
        """The intake form: typed for a minute, sent; if it warns of likely matches, the officer
        checks them and confirms a new record (as most are)."""
        form = self.get("/people/intake/", "/people/intake/ (form)", referer="/people/today/")
        if not form:
            return
        pause(20, 60)
        a, b = random.choice(self.names), random.choice(self.names)
        data = {
            "csrfmiddlewaretoken": self.token(form),
            "given_names": a["given"],
            "first_surname": b["first"],
            "second_surname": a["second"],
            "preferred_name": "",
            "sex": random.choice(["M", "M", "M", "F"]),
            "birth_date": f"{random.randint(1965, 2006)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}",
            "birth_date_precision": "day",
            "document_type": "",
            "document_number": "",
            "phone": "",
            "residence": "",
            "education": random.choice(["primary", "primary_incomplete", "unknown"]),
            "household_size": str(random.randint(1, 7)),
            "arrived_on": TODAY,
            "mode": "air",
            "returned_from": "US",
            "transport_reference": f"ICE-{random.randint(1000, 1999)}",
            "months_abroad": str(random.randint(1, 200)),
            "consent_case_management": "on",
            "consent_method": "signed_form",
            "consent_witness": "",
            "action": "register",
        }
        status, location, body = self.post(
            "/people/intake/",
            "/people/intake/ (POST register)",
            data,
            referer="/people/intake/",
            ok=(200, 302),
        )
        if status == 200:  # likely matches shown: the officer looks, then confirms a new record
            pause(5, 15)
            data["csrfmiddlewaretoken"] = self.token(body) or data["csrfmiddlewaretoken"]
            status, location, _ = self.post(
                "/people/intake/",
                "/people/intake/ (POST confirm new)",
                {**data, "confirm_new": "1"},
                referer="/people/intake/",
            )
        if status == 302 and location.startswith("/people/"):
            self.get(location, "/people/<id>/ (person)", referer="/people/intake/")


class Caseworker(Staff):
    """At the NGO: the caseload, a case, a note after a call, the tasks of the day."""

    weight = 3
    role = "caseworker"
    wait_time = between(4 * THINK, 12 * THINK)

    def on_start(self):
        super().on_start()
        self.cases: list[str] = []
        self.current = ""

    @task(3)
    def caseload(self):
        page = self.get("/cases/", "/cases/ (caseload)", referer="/")
        self.cases = CASE_LINK.findall(page) or self.cases

    @task(4)
    def open_case(self):
        if not self.cases:
            self.caseload()
        if self.cases:
            self.current = random.choice(self.cases)
            self.case_page(self.current, referer="/cases/")

    def case_page(self, pk: str, referer: str) -> str:
        return self.get(f"/cases/{pk}/", "/cases/<id>/ (case)", referer=referer)

    @task(2)
    def add_note(self):
        if not self.current:
            self.open_case()
        if not self.current:
            return
        page = self.case_page(self.current, referer="/cases/")
        pause(10, 30)  # writing
        status, _location, _ = self.post(
            f"/cases/{self.current}/notes/",
            "/cases/<id>/notes/ (POST note)",
            {"csrfmiddlewaretoken": self.token(page), "sensitivity": "general", "text": random.choice(NOTES)},
            referer=f"/cases/{self.current}/",
        )
        if status == 302:
            self.case_page(self.current, referer=f"/cases/{self.current}/")

    @task(2)
    def my_work(self):
        self.get("/cases/my-work/", "/cases/my-work/ (tasks)", referer="/cases/")


class Employer(Staff):
    """An employer's HR officer: their vacancies and the matched (pseudonymous) candidates."""

    weight = 2
    role = "employer"
    wait_time = between(5 * THINK, 15 * THINK)

    def on_start(self):
        super().on_start()
        self.vacancies: list[str] = []

    @task(2)
    def vacancies_page(self):
        page = self.get("/jobs/", "/jobs/ (vacancies)", referer="/")
        self.vacancies = VACANCY_LINK.findall(page) or self.vacancies

    @task(3)
    def candidates(self):
        if not self.vacancies:
            self.vacancies_page()
        if self.vacancies:
            pk = random.choice(self.vacancies)
            self.get(f"/jobs/vacancies/{pk}/", "/jobs/vacancies/<id>/ (matched candidates)", referer="/jobs/")


ME_JOB_LINK = re.compile(rf'href="/me/jobs/({UUID})/"')
PARTICIPANTS = FIXTURES.get("participants", [])
SMS_DIR = Path(os.environ.get("LOAD_SMS_DIR", "/tmp/incluye-load/sms"))
CODE = re.compile(r"\b(\d{6})\b")


class Participant(Staff):
    """A returnee or refugee on a cheap phone (issue 19): signs in at /me/ with their invited phone
    and the code sent to it (read from the load test's message files, bench/load/sms.py), then
    looks at their pathway, job invitations, certificates, consents and data. Each virtual user is
    a different person. Run alone: `LOAD_USER_CLASSES=Participant bench/load/run.sh`."""

    weight = 4
    wait_time = between(5 * THINK, 20 * THINK)
    taken = 0

    def on_start(self):
        if Participant.taken >= len(PARTICIPANTS):
            raise StopUser  # more virtual participants than invited people
        self.phone = PARTICIPANTS[Participant.taken]
        Participant.taken += 1
        self.origin = "https://" + urlsplit(self.host).netloc
        self.client.cookiejar.set_policy(BehindTheProxy())
        self.jobs: list[str] = []
        self.sign_in()

    def sign_in(self):
        form = self.get("/me/sign-in/", "/me/sign-in/ (form)", referer="/me/sign-in/")
        message = SMS_DIR / f"{self.phone.lstrip('+')}.txt"
        before = message.stat().st_mtime_ns if message.exists() else 0
        status, location, _ = self.post(
            "/me/sign-in/",
            "/me/sign-in/ (POST phone)",
            {"csrfmiddlewaretoken": self.token(form), "country": "GT", "phone": self.phone[4:]},
            referer="/me/sign-in/",
        )
        if status != 302:
            raise StopUser
        code = ""
        for _ in range(100):  # the message is written before the answer; wait for it anyway
            if message.exists() and message.stat().st_mtime_ns != before:
                found = CODE.search(message.read_text(encoding="utf-8"))
                code = found.group(1) if found else ""
                if code:
                    break
            time.sleep(0.05)
        form = self.get("/me/sign-in/code/", "/me/sign-in/code/ (form)", referer="/me/sign-in/")
        status, location, _ = self.post(
            "/me/sign-in/code/",
            "/me/sign-in/code/ (POST code)",
            {"csrfmiddlewaretoken": self.token(form), "code": code},
            referer="/me/sign-in/code/",
        )
        if status != 302 or location != "/me/":
            raise StopUser

    @task(4)
    def pathway(self):
        page = self.get("/me/", "/me/ (my pathway)", referer="/me/")
        self.jobs = ME_JOB_LINK.findall(page) or self.jobs

    @task(2)
    def jobs_page(self):
        page = self.get("/me/jobs/", "/me/jobs/ (my job opportunities)", referer="/me/")
        self.jobs = ME_JOB_LINK.findall(page) or self.jobs

    @task(2)
    def job(self):
        if self.jobs:
            pk = random.choice(self.jobs)
            self.get(f"/me/jobs/{pk}/", "/me/jobs/<id>/ (an invitation)", referer="/me/jobs/")

    @task(1)
    def certificates(self):
        self.get("/me/certificates/", "/me/certificates/ (my certificates)", referer="/me/")

    @task(1)
    def consents(self):
        self.get("/me/consents/", "/me/consents/ (my consents)", referer="/me/")

    @task(1)
    def data(self):
        self.get("/me/data/", "/me/data/ (who saw my data)", referer="/me/")
