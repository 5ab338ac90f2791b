// CLD.md §8's new measures at their edges, and the running totals' reading of them equal to the
// plain reference.
#include "domain/request_measures.hpp"

#include <gtest/gtest.h>

#include <random>

#include "domain/running_totals.hpp"

namespace careledger::domain {
namespace {

Date day(const char* text) {
  return parse_date(text).value();
}

RequestState decided(const char* id, const char* received, const char* on,
                     RouteOfAccess route = RouteOfAccess::discharge_from_hospital) {
  RequestState r;
  r.id = RequestId{id};
  r.received_on = day(received);
  r.route_of_access = route;
  r.status = RequestStatus::completed;
  r.decided_on = day(on);
  r.outcome = EventOutcome::nfa_other;
  return r;
}

AssessmentState assessment(const char* id, const char* requested,
                           AssessmentKind kind = AssessmentKind::needs) {
  AssessmentState a;
  a.id = AssessmentId{id};
  a.kind = kind;
  a.requested_on = day(requested);
  return a;
}

EpisodeFact long_term(const char* from, std::optional<const char*> until = std::nullopt,
                      Setting setting = Setting::community) {
  EpisodeFact e;
  e.kind = SupportKind::long_term;
  e.setting = setting;
  e.started_on = day(from);
  if (until) e.ended_on = day(*until);
  return e;
}

// A running total read from one set of contributions, as the store reads its steps.
class Totals final : public RunningTotals {
 public:
  void add(const Contributions& c) {
    for (const auto& s : steps_between({}, c)) steps_.push_back(s);
  }
  std::int64_t value_at(Counter counter, Date on, std::int64_t key) override {
    std::int64_t sum = 0;
    for (const auto& s : steps_)
      sum += s.counter == counter && s.key == key && s.day <= on ? s.delta : 0;
    return sum;
  }
  std::int64_t steps_in(Counter counter, Date from, Date to, std::int64_t key_min) override {
    std::int64_t sum = 0;
    for (const auto& s : steps_) {
      if (s.counter == counter && s.key >= key_min && from <= s.day && s.day <= to) sum += s.delta;
    }
    return sum;
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> steps_by_key(Counter counter, Date from,
                                                                  Date to) override {
    std::map<std::int64_t, std::int64_t> sums;
    for (const auto& s : steps_) {
      if (s.counter == counter && from <= s.day && s.day <= to) sums[s.key] += s.delta;
    }
    return nonzero_sums(sums);
  }

 private:
  std::vector<Step> steps_;
};

TEST(RequestMeasures, ARequestCountsWhenDecidedAndAnAssessmentWithoutOneAddsADerivedRow) {
  RequestState open = decided("r-open", "2024-01-02", "2024-01-03");
  open.status = RequestStatus::open;
  open.decided_on.reset();
  open.outcome.reset();
  AssessmentState from_request = assessment("a-from", "2024-01-05");
  from_request.request_id = RequestId{"r1"};
  const auto rows =
      request_rows(ClientType::service_user, {decided("r1", "2023-12-28", "2024-01-05"), open},
                   {from_request, assessment("a-direct", "2024-02-01")});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].counted_on, day("2024-01-05"));
  EXPECT_EQ(rows[0].start, day("2023-12-28"));
  EXPECT_FALSE(rows[0].derived);
  EXPECT_TRUE(rows[1].derived);
  EXPECT_EQ(rows[1].route, RouteOfAccess::community_other);
  const std::vector<PersonRequests> people{{day("1950-01-01"), rows, {}}};
  // The request received in December and decided in January is January's.
  auto f = request_figures(people, day("2024-01-01"), day("2024-01-31"));
  EXPECT_EQ(f.completed, 1);
  EXPECT_EQ(f.derived, 0);
  f = request_figures(people, day("2024-01-01"), day("2024-03-31"));
  EXPECT_EQ(f.completed, 2);
  EXPECT_EQ(f.derived, 1);
  EXPECT_EQ(f.new_clients, 2);
  EXPECT_EQ(f.new_clients_by_route[RouteOfAccess::discharge_from_hospital], 1);
  EXPECT_EQ(f.new_clients_by_route[RouteOfAccess::community_other], 1);
}

TEST(RequestMeasures, ACarersRowsAndThoseOfSomeoneInLongTermSupportAreNotNewClients) {
  AssessmentState carers = assessment("a-carer", "2024-01-10", AssessmentKind::carer);
  RequestState for_carer = decided("r-carer", "2024-01-09", "2024-01-10");
  for_carer.assessment_id = carers.id;
  carers.request_id = for_carer.id;
  const auto rows = request_rows(ClientType::service_user,
                                 {for_carer, decided("r2", "2024-03-01", "2024-03-02"),
                                  decided("r3", "2024-05-01", "2024-05-02")},
                                 {carers});
  // In support through 2024-04-30: the March request is not a new client's; one received on
  // the day support ended is.
  const std::vector<EpisodeFact> support{long_term("2024-02-01", "2024-05-01")};
  const auto f =
      request_figures({{day("1950-01-01"), rows, support}}, day("2024-01-01"), day("2024-12-31"));
  EXPECT_EQ(f.completed, 3);
  EXPECT_EQ(f.new_clients, 1);
  const auto as_carer =
      request_rows(ClientType::carer, {decided("r4", "2024-03-01", "2024-03-02")}, {});
  EXPECT_FALSE(as_carer[0].service_user);
}

TEST(RequestMeasures, LongTermClientsAreAdultsCountedOnceInTheirHighestSettingAndAgeBand) {
  const std::vector<PersonRequests> people{
      {day("1959-06-15"),
       {},
       {long_term("2020-01-01", std::nullopt, Setting::community),
        long_term("2024-03-01", "2024-09-01", Setting::nursing),
        long_term("2024-05-01", std::nullopt, Setting::residential)}},
      {day("2008-01-01"), {}, {long_term("2024-01-01")}},  // 16: not counted
  };
  auto c = long_term_clients_on(people, day("2024-06-14"));
  EXPECT_EQ(c.total(), 1);
  EXPECT_EQ(c.nursing, 1);
  EXPECT_EQ(c.age_18_64, 1);
  c = long_term_clients_on(people, day("2024-06-15"));  // the 65th birthday
  EXPECT_EQ(c.age_65_plus, 1);
  c = long_term_clients_on(people, day("2024-09-01"));  // nursing ended that day
  EXPECT_EQ(c.residential, 1);
  EXPECT_EQ(c.nursing, 0);
}

// The figures read from running totals equal the plain reference, for random people on every
// day and period tried.
TEST(RequestMeasures, TheRunningTotalsGiveTheReferencesFigures) {
  std::mt19937 rng(14);
  auto pick_day = [&](int lo, int hi) {
    return day("2023-01-01") + date::days{std::uniform_int_distribution<int>(lo, hi)(rng)};
  };
  std::vector<PersonRequests> people;
  Totals totals;
  for (int p = 0; p < 60; ++p) {
    PersonRequests person;
    person.date_of_birth = pick_day(-30000, -5000);
    std::vector<EpisodeFact> episodes;
    for (int e = std::uniform_int_distribution<int>(0, 3)(rng); e > 0; --e) {
      EpisodeFact ep;
      ep.kind = rng() % 4 == 0 ? SupportKind::short_term : SupportKind::long_term;
      ep.setting = static_cast<Setting>(rng() % 3);
      ep.started_on = pick_day(0, 700);
      if (rng() % 2) ep.ended_on = ep.started_on + date::days{1 + static_cast<int>(rng() % 200)};
      episodes.push_back(ep);
      if (ep.kind == SupportKind::long_term) person.long_term.push_back(ep);
    }
    std::vector<RequestState> requests;
    std::vector<AssessmentState> assessments;
    for (int r = std::uniform_int_distribution<int>(0, 3)(rng); r > 0; --r) {
      const Date received = pick_day(0, 700);
      RequestState q;
      q.id = RequestId{"r" + std::to_string(r)};
      q.received_on = received;
      q.route_of_access = static_cast<RouteOfAccess>(rng() % 8);
      if (rng() % 4) {
        q.status = RequestStatus::completed;
        q.decided_on = received + date::days{static_cast<int>(rng() % 10)};
        q.outcome = EventOutcome::nfa_other;
      }
      requests.push_back(q);
      AssessmentState a;
      a.id = AssessmentId{"a" + std::to_string(r)};
      a.kind = rng() % 5 == 0 ? AssessmentKind::carer : AssessmentKind::needs;
      a.requested_on = pick_day(0, 700);
      if (rng() % 2) a.request_id = q.id;
      assessments.push_back(a);
    }
    const auto client = rng() % 6 == 0 ? ClientType::carer : ClientType::service_user;
    person.rows = request_rows(client, requests, assessments);
    totals.add(request_contributions(person.rows, person.long_term));
    totals.add(support_contributions(person.date_of_birth, episodes, {}));
    people.push_back(std::move(person));
  }
  for (int t = 0; t < 40; ++t) {
    const Date from = pick_day(-10, 720);
    const Date to = from + date::days{static_cast<int>(rng() % 120)};
    const auto expected = request_figures(people, from, to);
    const auto read = request_figures(totals, from, to);
    EXPECT_EQ(read.completed, expected.completed);
    EXPECT_EQ(read.derived, expected.derived);
    EXPECT_EQ(read.new_clients, expected.new_clients);
    for (const auto& [route, n] : expected.new_clients_by_route) {
      if (n != 0) {
        EXPECT_EQ(read.new_clients_by_route.at(route), n);
      }
    }
    const auto clients = long_term_clients_on(people, to);
    const auto kept = long_term_clients_by(totals, to);
    EXPECT_EQ(kept.age_18_64, clients.age_18_64) << format_date(to);
    EXPECT_EQ(kept.age_65_plus, clients.age_65_plus) << format_date(to);
    EXPECT_EQ(kept.nursing, clients.nursing) << format_date(to);
    EXPECT_EQ(kept.residential, clients.residential) << format_date(to);
    EXPECT_EQ(kept.community, clients.community) << format_date(to);
  }
}

}  // namespace
}  // namespace careledger::domain
