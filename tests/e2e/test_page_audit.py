"""The page audit: every page a role may open, opened in the real browser, in Spanish, on a phone
(390 px) and on a laptop (1366 px), and checked for what breaks a page for its users:

- nothing wider than the screen (no horizontal scrolling of the page);
- every element id unique (a label must focus its own field);
- every form field labelled;
- no serious or critical axe-core violation (axe-core from npm, pinned and vendored under
  tests/e2e/vendor/, injected by the test and never served to users);
- no English left in a Spanish page: the page is also opened in English, and a text that is the
  same in both languages and made of English words from the catalogue is reported (proper names,
  codes and numbers are the same in both languages and are not words of the catalogue).

Which pages, and as whom: the access matrix (incluye/accounts/tests/access_matrix.json) says which
role gets a page (200) in the organization that owns the record; the records are those built for
the access tests (incluye/accounts/tests/test_access.py). A page added to the URLs and to the
matrix is audited without anyone adding it here. Pages without an id are also opened by the roles
of the other organizations of those records (a certifying body's assessor, an employer) and
without signing in: whatever answers 200 is audited. Downloads (PDF, CSV, XLSX, JSON) are not pages.

Screenshots of each role's main screens (its home and the sections of its menu) at both widths go
to test-results/audit/ for a reviewer to look at.

CI runs the audit once (the SQLite run sets INCLUYE_PAGE_AUDIT=1 in .ci/run); without it the audit
is skipped. One browser per worker; one browser context per role and language, reused for all its
pages; a page whose content was already checked at a width is only checked again for what its frame
can change (overflow, ids).
"""

import contextlib
import hashlib
import json
import os
import re
import time
from collections import defaultdict
from pathlib import Path

import pytest
from django.urls import resolve

from incluye.accounts.roles import Role
from incluye.accounts.tests.test_access import object_urls, owner_memberships, person, records  # noqa: F401
from incluye.accounts.tests.test_access_matrix import MATRIX, _urls_without_ids

pytestmark = [
    pytest.mark.audit,
    pytest.mark.skipif(
        os.environ.get("INCLUYE_PAGE_AUDIT") != "1",
        reason="the page audit runs once per CI (INCLUYE_PAGE_AUDIT=1, set in .ci/run)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
WIDTHS = (390, 1366)
SHOTS = ROOT / "test-results" / "audit"
ANONYMOUS = "anonymous"
# The person themselves, signed in at their own pages (/me/) with the code sent to their phone.
PARTICIPANT = "participant"

# Texts that are the same in Spanish and English on purpose: the name of the other language on
# the language switch, the product's name, names of standards and products, codes.
ALLOWED_TEXTS = {"English", "Incluye", "Open Badges 3.0", "KoboToolbox", "OpenAPI", "JSON", "did:web"}
# Words of the catalogue's English that are also written in Spanish pages (codes, loanwords, names).
ALLOWED_WORDS = {
    "email",
    "online",
    "web",
    "software",
    "hardware",
    "kobotoolbox",
    "badges",
    "open",
    "jwks",
    "token",
}
# A page that opens with these words in its path is not audited for English text: its whole
# purpose is English (the machine-readable API browser).
ENGLISH_BY_DESIGN = ("/api/",)

CHECKS_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const overflow = document.documentElement.scrollWidth - width;
  const wide = [];
  if (overflow > 1) {
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 1 && box.width > 0 && getComputedStyle(el).position !== 'fixed') {
        let inScroller = false;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const s = getComputedStyle(p);
          if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) { inScroller = true; break; }
        }
        if (!inScroller) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
          ' (' + Math.round(box.right) + ' px)');
      }
      if (wide.length > 4) break;
    }
  }
  const seen = {}, duplicates = [];
  for (const el of document.querySelectorAll('[id]')) {
    if (seen[el.id]) { if (seen[el.id] === 1) duplicates.push(el.id); seen[el.id]++; } else seen[el.id] = 1;
  }
  const unlabelled = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type)) continue;
    if (getComputedStyle(el).display === 'none') continue;  // replaced by an enhancement (autocomplete)
    const named = (el.labels && el.labels.length) || el.getAttribute('aria-label') ||
      el.getAttribute('aria-labelledby') || el.getAttribute('title');
    if (!named) unlabelled.push(el.outerHTML.slice(0, 160));
  }
  // A table laid out for a phone (one card per row, or records side by side) must fit its frame:
  // a frame scrolled sideways hides part of every card.
  const sideways = [];
  if (width < 641) {
    for (const frame of document.querySelectorAll('.table-wrap, .app-table-wrap')) {
      const table = frame.querySelector('table.app-table--stack, table.app-merge-table--side');
      if (table && frame.scrollWidth > frame.clientWidth + 1) {
        sideways.push(table.className + ' (' + frame.scrollWidth + ' px in ' + frame.clientWidth + ')');
      }
    }
  }
  // In a table shown as cards, every value says which column it is (a total row included).
  const nameless = [];
  if (width < 641) {
    for (const table of document.querySelectorAll('table.app-table--stack')) {
      const columns = table.tHead ? [...table.tHead.rows[table.tHead.rows.length - 1].cells]
        .reduce((n, c) => n + c.colSpan, 0) : 0;
      for (const cell of table.querySelectorAll(':scope > tbody > tr > td, :scope > tfoot > tr > td')) {
        if (!cell.hasAttribute('data-label') && cell.colSpan < columns && cell.textContent.trim()) {
          nameless.push(cell.textContent.trim().slice(0, 40));
        }
      }
    }
  }
  return {overflow: overflow > 1 ? overflow : 0, wide, sideways, nameless: nameless.slice(0, 5), duplicates, unlabelled,
          lang: document.documentElement.lang};
}
"""

TEXTS_JS = """
() => {
  const texts = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    // Codes are the same in every language: <code>, <kbd>, <samp> and .mono hold them.
    if (!parent || parent.closest('script, style, noscript, template, [hidden], [aria-hidden=true], code, kbd, samp, .mono')) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) texts.add(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], input[type=submit][value]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) texts.add(value.trim());
    }
    if (el.matches('input[type=submit]')) texts.add(el.value.trim());
  }
  const title = document.title.replace(/\\s+/g, ' ').trim();
  if (title) texts.add(title);
  return [...texts];
}
"""

AXE_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
}
"""

CONTENT_JS = """
() => {
  const main = document.querySelector('main') || document.body;
  return main.innerHTML.replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, '').replace(/nonce="[^"]*"/g, '');
}
"""


def _english_words() -> set[str]:
    """Words of the catalogue's English that its Spanish never uses."""
    import polib

    english, spanish = set(), set()
    words = re.compile(r"[A-Za-z]+")
    for entry in polib.pofile(str(ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po")):
        texts = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        translated = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            # Words the English writes in lower case somewhere: names ("Costa Rica") are not words.
            english.update(
                w for w in words.findall(re.sub(r"%\(\w+\)\w|\{\{[^}]*\}\}", " ", text)) if w.islower()
            )
        for text in translated:
            spanish.update(w.lower() for w in words.findall(text))
    short = {"to", "of", "us", "or", "an", "is", "at", "by", "it", "on", "in", "be", "we"}
    return {w for w in english - spanish - ALLOWED_WORDS if len(w) > 2 or w in short}


ENGLISH = _english_words()


def english_left(spanish_texts: list[str], english_texts: list[str]) -> list[str]:
    """Texts of the Spanish page that are identical in the English page and made of English words."""
    same = set(spanish_texts) & set(english_texts)
    found = []
    for text in sorted(same):
        if text in ALLOWED_TEXTS:
            continue
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
        english = [w for w in words if w in ENGLISH]
        if english and len(english) * 2 >= len(words):
            found.append(text)
    return found


def _role_pages(personas, records):  # noqa: F811
    """[(who, organization, url)]: every GET page of the matrix, with the role and organization
    that open it; plus the id-less pages for the roles of the records' other organizations and for
    visitors who have not signed in (audited when they answer 200)."""
    matrix = json.loads(MATRIX.read_text())
    owners = {url: m.organization for url, m in owner_memberships(personas, records).items()}
    pages, extra = [], []
    other_orgs = {o.pk: o for o in owners.values() if o.pk != personas.org.pk}
    object_gets = [url for method, url in object_urls(personas, records) if method == "get"]
    plain = [url for _name, url in _urls_without_ids()]
    for url in [*object_gets, *plain]:
        if url.startswith(ENGLISH_BY_DESIGN):
            continue
        row = matrix.get(f"GET {resolve(url).view_name}")
        if row is None:
            continue
        owner = owners.get(url, personas.org)
        for role in Role.values:
            if row[role] == 200:
                pages.append((role, owner, url))
            elif url in plain:
                extra += [(role, org, url) for org in other_orgs.values()]
        if url in plain:
            extra.append((ANONYMOUS, None, url))
        if row.get(PARTICIPANT) == 200 and url.startswith("/me/"):
            pages.append((PARTICIPANT, None, url))
    # The person's confirmation before withdrawing a consent (named by its purpose, not an id).
    from django.urls import reverse

    pages.append((PARTICIPANT, None, reverse("me:consent_withdraw", args=["alliance_sharing"])))
    return pages, extra


@pytest.fixture(scope="module")
def axe_source():
    return AXE.read_text(encoding="utf-8")


class Audit:
    """One role's walk through its pages: contexts reused, findings collected, not raised at once."""

    def __init__(self, browser, live_server, axe_source, who):
        self.browser, self.base, self.axe, self.who = browser, live_server.url, axe_source, who
        self.contexts = {}
        self.findings = defaultdict(list)
        self.checked = set()  # (hash of the main content, width) already fully checked
        self.pages = 0
        self.audited = set()
        self.seconds = defaultdict(float)  # where the time goes: open, checks, axe, english, screenshots

    def context(self, session, language, width):
        key = (session, language, width)
        if key not in self.contexts:
            context = self.browser.new_context(
                locale="es-GT" if language == "es" else "en-US", viewport={"width": width, "height": 900}
            )
            cookies = [{"name": "django_language", "value": language, "url": self.base}]
            if session:
                cookies.append({"name": "sessionid", "value": session, "url": self.base})
            context.add_cookies(cookies)
            self.contexts[key] = [context, context.new_page()]
        return self.contexts[key][1]

    def open(self, page, url):
        """Go to `url`: the response, or None when it is a download or not an HTML page."""
        try:
            response = page.goto(self.base + url, wait_until="load")
        except Exception as error:
            # A download, or an answer with no page at all (405 to a GET of a POST-only URL): the
            # tab is left on an error page, so the next page opens in a fresh tab.
            if any(
                sign in str(error)
                for sign in ("Download is starting", "ERR_ABORTED", "ERR_HTTP_RESPONSE_CODE")
            ):
                for entry in self.contexts.values():
                    if entry[1] is page:
                        page.close()
                        entry[1] = entry[0].new_page()
                return None
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            return None
        return response

    def answers(self, session, url) -> bool:
        """Whether `url` answers 200 with an HTML page (without opening it in a tab)."""
        page = self.context(session, "es", WIDTHS[-1])
        response = page.request.get(self.base + url, max_redirects=0)
        return response.status == 200 and "text/html" in response.headers.get("content-type", "")

    def audit(self, session, url, *, require_ok=True, screenshot=None):
        """Audit `url` at both widths; returns False when the page did not answer 200 (skipped)."""
        if not require_ok and not self.answers(session, url):
            return False
        for width in WIDTHS:
            page = self.context(session, "es", width)
            started = time.monotonic()
            response = self.open(page, url)
            self.seconds["open"] += time.monotonic() - started
            if response is None:
                return False
            if response.status != 200 or (
                not require_ok and page.url.rstrip("/") != (self.base + url).rstrip("/")
            ):
                if require_ok:
                    self.findings[url].append(f"answered {response.status} where the access matrix says 200")
                return False
            if not page.evaluate("() => !!document.querySelector('main')"):
                return False  # a fragment that htmx swaps into a page (a progress bar), not a page
            self.pages += 1
            self._check(page, url, width)
            if screenshot:
                started = time.monotonic()
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"{self.who}-{screenshot}-{width}.png"), full_page=True)
                self.seconds["screenshots"] += time.monotonic() - started
        return True

    def _check(self, page, url, width):
        started = time.monotonic()
        result = page.evaluate(CHECKS_JS)
        where = f"{url} at {width} px"
        if result["lang"] != "es":
            self.findings[where].append(f'<html lang="{result["lang"]}"> in a Spanish page')
        if result["overflow"]:
            self.findings[where].append(f"{result['overflow']} px wider than the screen: {result['wide']}")
        if result["sideways"]:
            self.findings[where].append(f"a table made for a phone scrolls sideways: {result['sideways']}")
        if result["nameless"]:
            self.findings[where].append(
                f"values of a table shown as cards without their column's name: {result['nameless']}"
            )
        if result["duplicates"]:
            self.findings[where].append(f"duplicate ids: {result['duplicates']}")
        if result["unlabelled"]:
            self.findings[where].append(f"fields without a label: {result['unlabelled']}")
        content = hashlib.sha256(page.evaluate(CONTENT_JS).encode()).hexdigest()
        self.seconds["checks"] += time.monotonic() - started
        if (content, width) in self.checked:
            return
        self.checked.add((content, width))
        started = time.monotonic()
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.evaluate(f"() => {{ {self.axe}\n }}")
        violations = page.evaluate(AXE_JS)
        self.seconds["axe"] += time.monotonic() - started
        started = time.monotonic()
        for violation in violations:
            self.findings[where].append(
                f"axe {violation['impact']} {violation['id']}: {violation['help']} {violation['nodes']}"
            )
        if width == WIDTHS[-1] and not url.startswith(ENGLISH_BY_DESIGN):
            spanish = page.evaluate(TEXTS_JS)
            english_page = self.context(self._session_of(page), "en", width)
            if self.open(english_page, url) is not None:
                left = english_left(spanish, english_page.evaluate(TEXTS_JS))
                if left:
                    self.findings[url].append(f"English in the Spanish page: {left}")
        self.seconds["english"] += time.monotonic() - started

    def _session_of(self, page):
        for (session, _language, _width), [_context, candidate] in self.contexts.items():
            if candidate is page:
                return session
        return None

    def close(self):
        for context, _page in self.contexts.values():
            context.close()


def _session(membership):
    from incluye.core.testing import client_for

    return client_for(membership).cookies["sessionid"].value


# Besides each role's home and menu sections, the pages where the work is done.
MAIN_VIEWS = {
    "people:detail",
    "cases:detail",
    "cases:close",
    "skills:work_history",
    "skills:profile",
    "referrals:detail",
    "jobs:vacancy",
    "jobs:vacancy_new",
    "jobs:person",
    "certification:session",
    "certification:enrollment",
    "inbox",
    "cases:alert",
    "referrals:handoff",
    "referrals:transfer",
    "referrals:access",
    "referrals:handoff_arrivals",
    "referrals:handoff_person",
    "referrals:transfer_new",
    "referrals:access_new",
    "people:duplicates",
    "people:duplicate",
    "people:status",
    "people:expiring",
}


def _screen_name(url):
    return re.sub(r"[^\w]+", "-", url.strip("/")) or "home"


# One test per role, those whose audit takes longest first: the run starts the largest parts first
# and the two workers (`-n 2 --dist worksteal`) share them out, so no half of the audit is left
# running alone at the end of the suite (the records are built once per role).
AUDITED = [
    "administrator",
    "caseworker",
    "reception_officer",
    "documents_officer",
    "assessor",
    "psychosocial",
    "coordinator",
    "employer",
    ANONYMOUS,
    PARTICIPANT,
]
assert sorted(AUDITED) == sorted([*Role.values, ANONYMOUS, PARTICIPANT])


@pytest.mark.parametrize("who", AUDITED)
def test_every_page_works_for_its_users_on_a_phone_and_a_laptop_in_spanish(
    who,
    browser,
    live_server,
    personas,
    records,  # noqa: F811
    axe_source,
    settings,
):
    settings.INCLUYE_REQUIRE_MFA = False  # the second factor has its own browser tests
    pages, extra = _role_pages(personas, records)
    from incluye.participants.testing import participant_client

    own = participant_client(records["participant_account"]).cookies["sessionid"].value
    audit = _audit_role(who, browser, live_server, axe_source, pages, extra, participant_session=own)
    spent = ", ".join(f"{k} {v:.0f} s" for k, v in sorted(audit.seconds.items()))
    print(f"{who}: {audit.pages} page views ({len(audit.audited)} pages); {spent}")
    assert audit.pages > 0, f"no page audited for {who}"
    reports = [f"- {where}: {problem}" for where, problems in audit.findings.items() for problem in problems]
    assert not reports, f"{who}: {len(reports)} problems:\n" + "\n".join(reports)


def _audit_role(who, browser, live_server, axe_source, pages, extra, participant_session=None):
    from django.urls import NoReverseMatch, reverse

    from incluye.core.navigation import SECTIONS
    from incluye.core.testing import make_member

    audit = Audit(browser, live_server, axe_source, who)
    sessions = {}
    for old in SHOTS.glob(f"{who}-*.png"):  # this run's screenshots only
        old.unlink()

    def session_for(organization):
        if who == PARTICIPANT:
            return participant_session
        if who == ANONYMOUS or organization is None:
            return None
        if organization.pk not in sessions:
            sessions[organization.pk] = _session(make_member(organization, who))
        return sessions[organization.pk]

    main_screens = {"/"}
    for name, *_rest in SECTIONS if who not in (ANONYMOUS, PARTICIPANT) else []:
        with contextlib.suppress(NoReverseMatch):
            main_screens.add(reverse(name))
    try:
        for role, organization, url in pages:
            if role == who:
                main = url in main_screens or resolve(url).view_name in MAIN_VIEWS or who == PARTICIPANT
                shot = _screen_name(resolve(url).view_name.replace(":", "-")) if main else None
                audit.audit(session_for(organization), url, screenshot=shot)
                audit.audited.add(url)
        for role, organization, url in extra:
            if role == who and url not in audit.audited:
                main = url in main_screens or who == ANONYMOUS or resolve(url).view_name in MAIN_VIEWS
                shot = _screen_name(resolve(url).view_name.replace(":", "-")) if main else None
                if audit.audit(session_for(organization), url, require_ok=False, screenshot=shot):
                    audit.audited.add(url)
    finally:
        audit.close()
    return audit
