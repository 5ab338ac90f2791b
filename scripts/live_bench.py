#!/usr/bin/env python3
"""Live load driver for careledger (issue 12): figures measured so that no cache can stand in
for the work.

One writer records casework at --rate events/s (even pacing) while --readers threads ask for
/v1/measures over random financial years for --seconds. Then, with the writer still recording,
the heavy reads are made one at a time: the monthly and performance reports, measures "as known
at" a moment since the writer started, the four casework lists (first page, and the whole
list as CSV), as at today and as at a past day, and the dashboard's pages (the requests each
makes when it opens, made at once as a browser makes them). One JSON object goes to stdout; notes to stderr.

  python3 scripts/live_bench.py --base http://127.0.0.1:PORT --token TOKEN --mix mix.json \
      [--seconds 30] [--readers 4] [--rate 20] [--seed N]

--mix is a JSON object {"event_type": count, ...} (a file, or the JSON itself): the writer does
each type of casework with probability proportional to its count. About 10% of the events it
records are backdated (1..1095 days) and about 1% are corrections. Standard library only.

Output (times in ms): "measures" {p50, p99, count, errors}; "writes" {events_per_s, count,
errors, backdated, corrections, ...}; "monthly", "performance", "known_at" {p50, max, count,
errors}; "lists" {name: {"page": {p50, p99, count, errors}, "csv": the same, or {status,
content_type} of a list that does not answer CSV}}; "pages" {page: {p50, max, count, errors}}:
each dashboard page opened as a browser signed in opens it afresh, until its last answer;
"errors_sample" when anything was refused.
"""
import argparse
import datetime as dt
import http.client
import json
import math
import random
import sys
import threading
import time
import urllib.parse

LISTS = {"waiting_list": "/v1/waiting-list", "reviews_overdue": "/v1/reviews/overdue",
         "safeguarding_open": "/v1/safeguarding/open",
         "deferred_payments_attention": "/v1/deferred-payments/attention"}
# The dashboard's pages (issue 15) as a browser opens them afresh (api/dashboard/app.js): who is
# signed in (GET /v1/session, with the session cookie), then the page's data, its requests at
# once; for one team, as at a day. An admin's or analyst's "All teams" also asks for the team
# register first.
SESSION = ["/v1/session"]
PAGES = {
    "waiting list": [SESSION, ["/v1/waiting-list?team={team}&as_at={day}&limit=1000"]],
    "waiting list, longest wait first": [
        SESSION, ["/v1/waiting-list?team={team}&as_at={day}&sort=-days_waiting&limit=1000"]],
    "reviews overdue": [SESSION, ["/v1/reviews/overdue?team={team}&as_at={day}&limit=1000"]],
    "open safeguarding": [SESSION, ["/v1/safeguarding/open?team={team}&as_at={day}&limit=1000"]],
    "deferred payments": [SESSION, ["/v1/deferred-payments/attention?team={team}&as_at={day}"]],
    "performance": [SESSION, ["/v1/reports/performance?team={team}",
                              "/v1/reports/monthly?team={team}"]],
    "performance, council-wide": [SESSION, ["/v1/teams?limit=1000"],
                                  ["/v1/reports/performance", "/v1/reports/monthly"]],
    "a person's history": [SESSION, ["/v1/people/{person}",
                                     "/v1/people/{person}/history?limit=100"]],
}
BACKDATED, CORRECTIONS = 0.10, 0.01  # shares of the events recorded

# Value choices and their weights, as tools/synthetic.cpp makes them.
W = {k: dict(zip(v.split()[::2], map(int, v.split()[1::2]))) for k, v in {
    "reason": "physical_support 55 memory_and_cognition 10 learning_disability 15 mental_health 12 "
              "sensory_support 5 social_support 3",
    "priority": "urgent 8 high 22 medium 45 low 25",
    "closure": "withdrawn 45 declined 30 duplicate 10 moved_away 10 deceased 5",
    "setting": "community 72 residential 18 nursing 10",
    "delivery": "direct_payment 23 managed_personal_budget 60 individual_service_fund 2 "
                "council_arranged 15",
    "sequel": "no_ongoing_support 55 lower_level_support 15 long_term_support 23 other 7",
    "outcome": "no_change 70 support_changed 27 support_ended 3",
    "source": "health 20 provider 18 police 15 family 12 hospital 10 practitioner 10 "
              "customer_services 8 self 3 other 4",
    "abuse": "neglect 30 physical 18 financial 15 psychological 12 self_neglect 10 domestic 6 "
             "organisational 5 sexual 4",
    "location": "own_home 60 care_home 25 hospital 5 community 7 other 3",
    "decision": "section_42_enquiry 17 other_enquiry 3 no_further_action 80",
    "risk": "yes 75 no 15 inconclusive 10",
    "risk_outcome": "removed 40 reduced 54 remains 6",
    "asked": "expressed 70 not_expressed 15 not_asked 15",
    "achieved": "fully 65 partially 28 not 7",
    "termination": "deceased 60 property_sold 30 left_care_home 10"}.items()}


def note(*parts):
    print("==", *parts, file=sys.stderr, flush=True)


def today():
    return dt.datetime.now(dt.timezone.utc).date()  # the UTC date is never after the UK's


def summary(times, errors=None, worst="p99"):
    """p50 and p99 (nearest rank) or max of a list of milliseconds, rounded to 0.1."""
    out = {"p50": None, worst: None, "count": len(times)}
    if times:
        s = sorted(times)
        out["p50"] = round(s[math.ceil(0.5 * len(s)) - 1], 1)
        out[worst] = round(s[-1] if worst == "max" else s[math.ceil(0.99 * len(s)) - 1], 1)
    if errors is not None:
        out["errors"] = errors
    return out


class Client:
    """One HTTP/1.1 connection (kept alive unless `fresh`). request() returns
    (status, body, milliseconds until the whole body was read, content type)."""
    errors_sample, sample_lock = [], threading.Lock()

    def __init__(self, args, fresh=False, cookie=None):
        url = urllib.parse.urlsplit(args.base)
        self.host, self.port, self.token = url.hostname, url.port or 80, args.token
        self.fresh, self.conn, self.cookie = fresh, None, cookie

    def request(self, method, path, body=None, accept="application/json"):
        # A browser's session cookie (the dashboard's reads), else the bearer token.
        headers = ({"Cookie": self.cookie} if self.cookie
                   else {"Authorization": "Bearer " + self.token})
        headers["Accept"] = accept
        if body is not None:
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            reused = self.conn is not None
            self.conn = self.conn or http.client.HTTPConnection(self.host, self.port, timeout=600)
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
            except (http.client.HTTPException, OSError) as failure:
                self.conn.close()
                self.conn = None
                if reused and attempt == 1:  # the server closed a kept-alive connection
                    continue
                self.sample(0, method, path, repr(failure))
                return 0, b"", (time.perf_counter() - start) * 1000, ""
            ms = (time.perf_counter() - start) * 1000
            if self.fresh or response.will_close:
                self.conn.close()
                self.conn = None
            if not 200 <= response.status < 300:
                self.sample(response.status, method, path, payload[:300].decode("utf-8", "replace"))
            return response.status, payload, ms, response.getheader("Content-Type", "")

    @classmethod
    def sample(cls, status, method, path, snippet):
        with cls.sample_lock:
            if len(cls.errors_sample) < 5:
                cls.errors_sample.append({"status": status, "path": f"{method} {path}", "body": snippet})


class Writer(threading.Thread):
    """Records casework as a council's staff would. It keeps its own records (dicts with "id",
    "person" and "last", the date of the record's latest step) so that every step names a
    record that can take it and is dated on or after the step it follows."""

    def __init__(self, args, teams, mix):
        super().__init__(daemon=True)
        self.client, self.rng = Client(args), random.Random(args.seed * 7919 + 1)
        self.rate, self.teams = args.rate, teams
        self.types = [t for t in mix if hasattr(self, "do_" + t)]
        self.weights = [mix[t] for t in self.types]
        for t in sorted(set(mix) - set(self.types)):
            note(f"writer: no casework for event type {t}; left out of the mix")
        if not self.types:
            raise SystemExit("the mix names no event type the writer can record")
        self.stop = threading.Event()
        self.count = self.errors = self.backdated = self.corrections = 0
        self.by_type = {}
        self.started = self.finished = self.last_backdated = self.last_correction = None
        self.serial, self.next_at = 0, 0.0
        self.people = []  # registered, with no casework yet
        self.assessments, self.episodes, self.reviews, self.concerns, self.enquiries = [], [], [], [], []
        self.placements, self.offered, self.signed = [], [], []  # placements not yet arranged

    def run(self):
        self.started, self.next_at = time.time(), time.perf_counter()
        while not self.stop.is_set():
            try:
                if self.corrections < CORRECTIONS * (self.count + 1) and self.correct():
                    continue
                getattr(self, "do_" + self.rng.choices(self.types, weights=self.weights)[0])()
            except Exception as failure:  # a bug here must not stop the load silently
                self.errors += 1
                Client.sample(0, "writer", type(failure).__name__, repr(failure)[:300])
                time.sleep(1.0 / self.rate)
        self.finished = time.time()

    # ------------------------------------------------------------------ plumbing
    def post(self, kind, path, body, day=None):
        """Records one event at the writer's pace; returns the answer, or None if refused."""
        now = time.perf_counter()
        self.next_at = max(self.next_at, now - 1.0)  # a late writer catches up at most 1 s
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at += 1.0 / self.rate
        status, payload, _, _ = self.client.request("POST", path, body)
        if not 200 <= status < 300:
            self.errors += 1
            return None
        self.count += 1
        self.by_type[kind] = self.by_type.get(kind, 0) + 1
        if day is not None and day < today():
            self.backdated += 1
            self.last_backdated = time.time()
        return json.loads(payload)

    def day(self, after=None):
        """Today, or (while fewer than 10% of the events recorded are) a day 1..1095 days back
        and not before `after`."""
        now = today()
        earliest = max(now - dt.timedelta(days=1095), after or now - dt.timedelta(days=1095))
        if self.backdated >= BACKDATED * (self.count + 1) or earliest >= now:
            return now
        return earliest + dt.timedelta(days=self.rng.randrange((now - earliest).days))

    def pick(self, name):
        return self.rng.choices(list(W[name]), weights=list(W[name].values()))[0]

    def one(self, pool, make=None, remove=False):
        """A random record of `pool`, or when it has none the one `make` returns (a
        prerequisite, recorded first), or None; taken out of `pool` if `remove`."""
        record = self.rng.choice(pool) if pool else make and make()
        if record and remove:
            pool[:] = [r for r in pool if r is not record]
        return record

    def new(self, event, path, pool, body, older=False, **extra):
        """Starts a record about a person with no casework yet; `body(day)` is its request."""
        person = self.people.pop() if self.people and not older else self.register(older)
        day = self.day()
        answer = person and self.post(event, path, dict(body(day), person_id=person), day)
        if answer:
            pool.append(dict(extra, id=answer["id"], person=person, last=day))
            return pool[-1]
        return None

    def step(self, kind, path, record, body):
        """One step on `record`, dated on or after its last; `body(day)` is the request."""
        day = self.day(record["last"])
        answer = self.post(kind, path, body(day), day)
        if answer is not None:
            record["last"] = day
        return answer

    # ------------------------------------------------------------------ people and assessments
    def register(self, older=False):
        rng = self.rng
        age = rng.randint(66, 98) if older or rng.random() < 0.6 else rng.randint(22, 64)
        self.serial += 1
        person = self.post("person_registered", "/v1/people", {
            "given_name": "Live", "family_name": f"Bench{self.serial}",  # 19+ three years ago
            "date_of_birth": str(today() - dt.timedelta(days=365 * age + rng.randint(0, 364))),
            "team": rng.choice(self.teams),
            "client_type": "carer" if rng.random() < 0.12 else "service_user",
            "primary_support_reason": self.pick("reason")})
        return person and person["id"]

    def do_person_registered(self):
        person = self.register()
        if person:
            self.people.append(person)

    def do_assessment_requested(self):
        return self.new("assessment_requested", "/v1/assessments", self.assessments, lambda d: {
            "kind": "carer" if self.rng.random() < 0.15 else "needs", "requested_on": str(d),
            "priority": self.pick("priority")})

    def do_assessment_allocated(self):
        a = self.one(self.assessments, self.do_assessment_requested)
        if a:
            self.step("assessment_allocated", f"/v1/assessments/{a['id']}/allocation", a, lambda d: {
                "practitioner": f"Practitioner {self.rng.randint(1, 60)}", "allocated_on": str(d)})

    def finish_assessment(self, kind, route, body):
        a = self.one(self.assessments, self.do_assessment_requested, remove=True)
        if a and self.step(kind, f"/v1/assessments/{a['id']}/{route}", a, body) is None:
            self.assessments.append(a)

    def do_assessment_completed(self):
        self.finish_assessment("assessment_completed", "completion", lambda d: {
            "completed_on": str(d), "eligible_needs": self.rng.random() < 0.7})

    def do_assessment_closed(self):
        self.finish_assessment("assessment_closed", "closure", lambda d: {
            "closed_on": str(d), "reason": self.pick("closure")})

    # ------------------------------------------------------------------ support and reviews
    def do_support_started(self, kind=None):
        kind = kind or ("long_term" if self.rng.random() < 0.5 else "short_term")
        setting = self.pick("setting") if kind == "long_term" else "community"
        delivery = self.pick("delivery") if setting == "community" else "council_arranged"
        return self.new("support_started", "/v1/support-episodes", self.episodes, lambda d: {
            "kind": kind, "setting": setting, "delivery": delivery, "started_on": str(d)}, kind=kind)

    def do_support_ended(self):
        e = self.one(self.episodes, self.do_support_started, remove=True)
        sequel = {"sequel": self.pick("sequel")} if e and e["kind"] == "short_term" else {}
        if e and self.step("support_ended", f"/v1/support-episodes/{e['id']}/end", e,
                           lambda d: dict(sequel, ended_on=str(d))) is None:
            self.episodes.append(e)

    def do_review_recorded(self):
        # Reviews are of people in long-term support: on any day from its start while it is open.
        e = self.one([e for e in self.episodes if e["kind"] == "long_term"],
                     lambda: self.do_support_started("long_term"))
        answer = e and self.step("review_recorded", "/v1/reviews", e, lambda d: {
            "person_id": e["person"], "reviewed_on": str(d), "planned": self.rng.random() < 0.8,
            "outcome": self.pick("outcome")})
        if answer:
            self.reviews.append({"id": answer["id"], "person": e["person"]})

    # ------------------------------------------------------------------ safeguarding
    def do_safeguarding_concern_received(self):
        types = self.rng.sample(list(W["abuse"]), 1 if self.rng.random() < 0.75 else 2)
        return self.new("safeguarding_concern_received", "/v1/safeguarding/concerns", self.concerns,
                        lambda d: {"received_on": str(d), "source": self.pick("source"),
                                   "abuse_types": types, "location": self.pick("location")})

    def do_safeguarding_concern_decided(self, outcome=None):
        c = self.one(self.concerns, self.do_safeguarding_concern_received, remove=True)
        outcome = outcome or self.pick("decision")
        answer = c and self.step("safeguarding_concern_decided",
                                 f"/v1/safeguarding/concerns/{c['id']}/decision", c,
                                 lambda d: {"decided_on": str(d), "outcome": outcome})
        if c and answer is None:
            self.concerns.append(c)
        elif answer and answer.get("enquiry_id"):  # the enquiry starts on the decision's day
            self.enquiries.append({"id": answer["enquiry_id"], "person": c["person"], "last": c["last"]})
            return self.enquiries[-1]
        return None

    def do_safeguarding_enquiry_concluded(self):
        q = self.one(self.enquiries, lambda: self.do_safeguarding_concern_decided("section_42_enquiry"),
                     remove=True)
        if not q:
            return
        body = {"risk_identified": self.pick("risk"), "outcomes_asked": self.pick("asked")}
        if body["risk_identified"] == "yes":
            body["risk_outcome"] = self.pick("risk_outcome")
        if body["outcomes_asked"] == "expressed":
            body["outcomes_achieved"] = self.pick("achieved")
        if self.step("safeguarding_enquiry_concluded", f"/v1/safeguarding/enquiries/{q['id']}/conclusion",
                     q, lambda d: dict(body, concluded_on=str(d))) is None:
            self.enquiries.append(q)

    # ------------------------------------------------------------------ care homes, deferred payments
    def do_care_home_placement_started(self):
        weekly = self.rng.randint(700, 1400) * 100
        return self.new("care_home_placement_started", "/v1/care-home-placements", self.placements,
                        lambda d: {"started_on": str(d), "weekly_cost_pence": weekly,
                                   "property_disregard": self.rng.random() < 0.45},
                        older=True, weekly=weekly)

    def arranged(self, placement):
        """Self-funding or a signature arranges a placement: no other offer on it can be signed."""
        if placement in self.placements:
            self.placements.remove(placement)
        self.offered = [a for a in self.offered if a["placement"] is not placement]

    def do_self_funding_arranged(self):
        p = self.one(self.placements, self.do_care_home_placement_started)
        if p and self.step("self_funding_arranged", f"/v1/care-home-placements/{p['id']}/self-funding",
                           p, lambda d: {"arranged_on": str(d)}):
            self.arranged(p)

    def do_deferred_payment_offered(self):
        p = self.one(self.placements, self.do_care_home_placement_started)
        answer = p and self.step("deferred_payment_offered", "/v1/deferred-payments", p,
                                 lambda d: {"placement_id": p["id"], "offered_on": str(d)})
        if answer:
            self.offered.append({"id": answer["id"], "placement": p, "last": p["last"]})
            return self.offered[-1]
        return None

    def do_deferred_payment_declined(self):
        a = self.one(self.offered, self.do_deferred_payment_offered, remove=True)
        if a:
            self.step("deferred_payment_declined", f"/v1/deferred-payments/{a['id']}/decline", a,
                      lambda d: {"declined_on": str(d)})

    def do_deferred_payment_signed(self):
        a, rng = self.one(self.offered, self.do_deferred_payment_offered), self.rng
        figures = {"property_value_pence": rng.randint(150, 400) * 100000,
                   "prior_charges_pence": rng.randint(1, 50) * 100000 if rng.random() < 0.2 else 0,
                   "weekly_deferred_pence": a and a["placement"]["weekly"] // 2,
                   "interest_rate_basis_points": rng.randint(150, 260)}
        if a and self.step("deferred_payment_signed", f"/v1/deferred-payments/{a['id']}/signature", a,
                           lambda d: dict(figures, signed_on=str(d))):
            self.arranged(a["placement"])
            self.signed.append(dict(a, terminated=False))
            return self.signed[-1]
        return None

    def do_deferred_payment_charged(self, a=None):
        a = a or self.one(self.signed, self.do_deferred_payment_signed)
        amount = self.rng.randint(300, 600) * 100
        answer = a and self.step("deferred_payment_charged", f"/v1/deferred-payments/{a['id']}/charges", a,
                                 lambda d: {"charged_on": str(d), "amount_pence": amount,
                                            "description": "administration fee"})
        return amount if answer else 0

    def do_deferred_payment_repaid(self):
        """Repays at most the balance owed on the day, as the server states it; with nothing
        owed, an administration charge is recorded first (and the repayment is dated with it)."""
        a = self.one(self.signed, self.do_deferred_payment_signed)
        if not a:
            return
        day = self.day(a["last"])
        status, payload, _, _ = self.client.request("GET", f"/v1/deferred-payments/{a['id']}?as_at={day}")
        owed = (json.loads(payload).get("balance_pence") or 0) if status == 200 else 0
        if owed <= 0:
            owed += self.do_deferred_payment_charged(a)
            day = a["last"]
        amount = owed if self.rng.random() < 0.3 else owed // 2
        path = f"/v1/deferred-payments/{a['id']}/repayments"
        if amount > 0 and self.post("deferred_payment_repaid", path,
                                    {"repaid_on": str(day), "amount_pence": amount}, day):
            a["last"] = max(a["last"], day)

    def do_deferred_payment_terminated(self):
        a = self.one([a for a in self.signed if not a["terminated"]], self.do_deferred_payment_signed)
        if a and self.step("deferred_payment_terminated", f"/v1/deferred-payments/{a['id']}/termination", a,
                           lambda d: {"terminated_on": str(d), "reason": self.pick("termination")}):
            a["terminated"] = True

    # ------------------------------------------------------------------ corrections
    def correct(self):
        """Voids the latest standing event of a review, an open assessment or a concern awaiting
        a decision that this writer recorded. False when there was nothing to void."""
        pools = [p for p in (self.reviews, self.assessments, self.concerns) if p]
        if not pools:
            return False
        pool = self.rng.choice(pools)
        record = self.rng.choice(pool)
        path = f"/v1/people/{record['person']}/history?limit=1000"
        status, payload, _, _ = self.client.request("GET", path)
        if status != 200:
            return False
        items = json.loads(payload)["items"]  # oldest first
        voided = {i["data"].get("event_id") for i in items if i["type"] == "event_voided"}
        standing = [i for i in items if i["stream"].endswith("-" + record["id"])
                    and i["type"] != "event_voided" and i["event_id"] not in voided]
        if not standing:
            pool.remove(record)
            return False
        target = standing[-1]
        if self.post("event_voided", "/v1/corrections",
                     {"event_id": target["event_id"], "reason": "recorded in error (live bench)"}):
            self.corrections += 1
            self.last_correction = time.time()
            if target["type"] in ("review_recorded", "assessment_requested",
                                  "safeguarding_concern_received"):
                pool.remove(record)  # gone; a voided allocation leaves the assessment open
        return True

    def result(self):
        elapsed = (self.finished or time.time()) - self.started
        return {"events_per_s": round(self.count / elapsed, 1), "count": self.count,
                "errors": self.errors, "backdated": self.backdated, "corrections": self.corrections,
                "target_rate": self.rate, "seconds": round(elapsed, 1),
                "by_type": dict(sorted(self.by_type.items()))}


def reader(args, seed, years, teams, stop, times, errors):
    """Asks for the measures of a random recent financial year, half the time for one team."""
    client, rng = Client(args), random.Random(seed)
    while not stop.is_set():
        first = rng.choice(years)
        path = f"/v1/measures?from={first}-04-01&to={first + 1}-03-31"
        if rng.random() < 0.5:
            path += "&team=" + urllib.parse.quote(rng.choice(teams))
        status, _, ms, _ = client.request("GET", path)
        if status == 200:
            times.append(ms)
        else:
            errors.append(status)


def one_at_a_time(client, paths, accept="application/json"):
    """Asks for each path in turn: (milliseconds of the 200 answers, number of others)."""
    answers = [client.request("GET", p, accept=accept) for p in paths]
    return [a[2] for a in answers if a[0] == 200], sum(a[0] != 200 for a in answers)


def page_load(clients, steps):
    """Asks for each step's paths at once, each on its own connection, as a browser does, one
    step after another: (milliseconds until the last answer, whether every answer was 200)."""
    ok = True
    start = time.perf_counter()
    for paths in steps:
        answers = [None] * len(paths)

        def ask(i):
            answers[i] = clients[i].request("GET", paths[i])
        threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(paths))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ok = ok and all(a[0] == 200 for a in answers)
    return (time.perf_counter() - start) * 1000, ok


def pages(args, rng, teams, now):
    """Each dashboard page opened --repeats times for a random team, as at today and as at a
    past day, by a browser signed in with the admin's token: {page: {p50, max, count, errors}}."""
    url = urllib.parse.urlsplit(args.base)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=600)
    conn.request("POST", "/v1/session", body=b"{}",
                 headers={"Authorization": "Bearer " + args.token,
                          "Content-Type": "application/json"})
    signed_in = conn.getresponse()
    signed_in.read()
    cookie = (signed_in.getheader("Set-Cookie") or "").split(";")[0]
    conn.close()
    if signed_in.status != 201 or not cookie:
        note(f"POST /v1/session answered {signed_in.status}: the pages are not timed")
        return {}
    clients = [Client(args, cookie=cookie), Client(args, cookie=cookie)]
    people = []
    for team in teams:
        status, payload, _, _ = clients[0].request("GET", f"/v1/waiting-list?team={team}&limit=50")
        if status == 200:
            people += [i["person_id"] for i in json.loads(payload)["items"]]
    out = {}
    for name, steps in PAGES.items():
        note(f"dashboard page: {name} x{2 * args.repeats}")
        times, errors = [], 0
        for k in range(2 * args.repeats):
            day = now if k % 2 == 0 else now - dt.timedelta(days=rng.randint(1, 1095))
            values = {"team": urllib.parse.quote(rng.choice(teams)), "day": day,
                      "person": rng.choice(people) if people else "none"}
            ms, ok = page_load(clients, [[p.format(**values) for p in step] for step in steps])
            if ok:
                times.append(ms)
            else:
                errors += 1
        out[name] = summary(times, errors, "max")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--token", required=True, help="an admin's bearer token")
    parser.add_argument("--mix", required=True, help='a file or JSON: {"event_type": count, ...}')
    parser.add_argument("--seconds", type=float, default=30, help="the reader phase (default 30)")
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--rate", type=float, default=20, help="writer events/s (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5,
                        help="heavy reads of each kind; list reads per as-at kind (default 5)")
    parser.add_argument("--teams", help="comma-separated teams (default: asked of the server)")
    parser.add_argument("--fresh", action="store_true",
                        help="a new connection for each heavy read (default: kept alive)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    mix = json.loads(args.mix if args.mix.lstrip().startswith("{") else open(args.mix).read())
    mix = {k: v for k, v in mix.items() if v > 0}

    # The last four financial years that have ended: the store's complete ones.
    now = today()
    years = [now.year - (2 if now.month < 4 else 1) - k for k in (3, 2, 1, 0)]
    label = lambda first: f"{first}-{(first + 1) % 100:02d}"
    client = Client(args, fresh=args.fresh)
    teams = args.teams.split(",") if args.teams else []
    if not teams:
        status, payload, _, _ = client.request("GET", "/v1/teams?limit=1000")
        if status == 200:
            teams = [t["name"] for t in json.loads(payload)["items"]]
        else:  # no team register yet (issue 13): the teams council-wide figures cover
            note(f"GET /v1/teams answered {status}; taking the teams from /v1/measures")
            status, payload, _, _ = client.request("GET", f"/v1/measures?from={now}&to={now}")
            teams = (json.loads(payload).get("teams") or []) if status == 200 else []
    if not teams:
        raise SystemExit("no teams known: pass --teams")
    Client.errors_sample.clear()  # only the measured phases' errors are sampled
    note(f"teams {teams}; financial years {[label(y) for y in years]}")

    writer = Writer(args, teams, mix)
    writer.start()
    stop, times, errors = threading.Event(), [], []
    threads = [threading.Thread(target=reader, daemon=True,
                                args=(args, args.seed * 100 + i, years, teams, stop, times, errors))
               for i in range(args.readers)]
    for t in threads:
        t.start()
    note(f"writer at {args.rate:g}/s beside {args.readers} readers for {args.seconds:g} s")
    time.sleep(args.seconds)
    stop.set()
    for t in threads:
        t.join()
    note(f"measures: {len(times)} answers; the writer has recorded {writer.count} events")
    result = {"financial_years": [label(y) for y in years], "teams": teams, "readers": args.readers,
              "seconds": args.seconds, "measures": summary(times, errors=len(errors))}

    # The heavy reads, one at a time, the writer still recording.
    for name in ("monthly", "performance"):
        note(f"{name} report x{args.repeats}")
        result[name] = summary(*one_at_a_time(client, [
            f"/v1/reports/{name}?financial_year={label(rng.choice(years))}" for _ in range(args.repeats)]),
            worst="max")

    note(f"measures known_at x{args.repeats}")
    known, errs, moments = [], 0, []
    for _ in range(args.repeats):
        # A new moment each time: after the writer started, a few seconds before now, and
        # before its latest correction and backdated entry, so that some were recorded after it.
        latest = [t - 0.5 for t in (writer.last_correction, writer.last_backdated) if t]
        top = min([time.time() - 3] + latest)
        moment = rng.uniform(writer.started, max(writer.started, top))
        moments.append(dt.datetime.fromtimestamp(moment, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        first = rng.choice(years)
        t, e = one_at_a_time(client, [f"/v1/measures?from={first}-04-01&to={first + 1}-03-31"
                                      f"&known_at={moments[-1]}"])
        known, errs = known + t, errs + e
    result["known_at"] = dict(summary(known, errs, "max"), moments=moments)

    result["lists"] = {}
    for key, route in LISTS.items():
        note(f"{route}: first page and CSV, as at today and a past day, x{args.repeats} each")
        paths = []
        for _ in range(args.repeats):
            paths += [route, f"{route}?as_at={now - dt.timedelta(days=rng.randint(1, 1095))}"]
        entry = result["lists"][key] = {"page": summary(*one_at_a_time(client, paths))}
        status, payload, ms, ctype = client.request("GET", route, accept="text/csv")
        if status == 200 and ctype.startswith("text/csv"):
            times, errs = one_at_a_time(client, paths[1:], accept="text/csv")
            entry["csv"] = dict(summary([ms] + times, errors=errs), lines_today=payload.count(b"\n"))
        else:  # this list does not answer CSV: say what it answered instead
            entry["csv"] = {"p50": None, "p99": None, "count": 0, "status": status, "content_type": ctype}

    result["pages"] = pages(args, rng, teams, now)

    writer.stop.set()
    writer.join()
    result["writes"] = writer.result()
    if Client.errors_sample:
        result["errors_sample"] = Client.errors_sample
    note(f"done: {writer.count} events recorded ({writer.corrections} corrections), "
         f"{writer.errors} refused")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
