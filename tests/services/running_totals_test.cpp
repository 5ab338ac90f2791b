// The differential test of issue 12: many small random councils — entries out of date order
// (backdated), corrections, several teams — recorded event by event through the projections,
// and at many random periods, team filters and "as known at" moments the figures read from the
// kept running totals are exactly those computed straight from the records (the computation
// the measures used before the totals, kept here as the reference).
#include <random>
#include <set>
#include <sstream>

#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include "domain/assessment_measures.hpp"
#include "domain/deferred_payments.hpp"
#include "domain/running_totals.hpp"
#include "domain/safeguarding_measures.hpp"
#include "domain/support_measures.hpp"
#include "persistence/database.hpp"
#include "persistence/figure_source.hpp"
#include "persistence/kept_lists.hpp"
#include "persistence/projections.hpp"
#include "persistence/read_models.hpp"
#include "persistence/running_totals.hpp"
#include "tests/support/temp_dir.hpp"

namespace careledger {
namespace {

using domain::Date;
using persistence::ExpectedVersion;
using persistence::TeamFilter;

const std::vector<std::string> team_names{"north", "south", "east"};

Date day_in(std::mt19937& rng, const char* from, const char* to) {
  const auto a = domain::parse_date(from).value();
  const auto b = domain::parse_date(to).value();
  std::uniform_int_distribution<int> d(0, domain::days_between(a, b));
  return a + date::days{d(rng)};
}

template <typename T>
T pick(std::mt19937& rng, const std::vector<T>& from) {
  return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
}

bool chance(std::mt19937& rng, double p) {
  return std::bernoulli_distribution(p)(rng);
}

// Appends one event and projects it in one transaction, recorded at `at`; its event id.
std::string record_event(persistence::Connection& db, const std::string& stream,
                         const std::string& person, const std::string& team,
                         const domain::Event& event, const std::string& at) {
  careledger::persistence::Transaction tx(db, careledger::persistence::Transaction::Mode::write);
  auto result =
      persistence::append_in_transaction(db,
                                         {stream,
                                          ExpectedVersion::any(),
                                          {{event, domain::Team{team}, domain::PersonId{person}}},
                                          "tester",
                                          std::nullopt,
                                          {},
                                          std::nullopt,
                                          {}},
                                         at);
  const auto& records = std::get<persistence::Appended>(result).records;
  for (const auto& r : records) persistence::project(db, r);
  tx.commit();
  return records.front().event_id;
}

// Recorded one event per transaction, each a second after the last, so that every moment
// between two of them is an "as known at" with a different answer.
class RandomCouncil {
 public:
  RandomCouncil(persistence::Connection& db, unsigned seed) : db_(db), rng_(seed) {}

  void record(int people, int actions) {
    for (int i = 0; i < people; ++i) register_person();
    for (int i = 0; i < actions; ++i) act();
  }
  const std::vector<std::string>& moments() const { return moments_; }

 private:
  struct Episode {
    std::string stream;
    std::string person;
    Date started_on;
    domain::SupportKind kind;
    bool ended = false;
  };

  std::string append(const std::string& stream, const std::string& person,
                     const domain::Event& event) {
    char at[32];
    std::snprintf(at, sizeof at, "2026-01-01T%02d:%02d:%02d.000Z", clock_ / 3600, clock_ / 60 % 60,
                  clock_ % 60);
    ++clock_;
    const auto event_id = record_event(db_, stream, person, team_of_.at(person), event, at);
    moments_.push_back(at);
    if (std::holds_alternative<domain::EventVoided>(event)) {
      auto& standing = standing_[stream];
      standing.pop_back();
      if (standing.empty()) dead_.insert(stream);
    } else if (!stream.starts_with("person-")) {
      standing_[stream].push_back(event_id);
      persons_[stream] = person;
    }
    return event_id;
  }

  void register_person() {
    const std::string id = "p" + std::to_string(team_of_.size());
    team_of_[id] = pick(rng_, team_names);
    domain::PersonRegistered e;
    e.person_id = domain::PersonId{id};
    e.given_name = "Given " + id;
    e.family_name = "Family " + team_of_[id];
    // Children too, who come of age during the years the figures cover.
    e.date_of_birth = day_in(rng_, "1925-01-01", "2008-12-31");
    e.team = domain::Team{team_of_[id]};
    e.registered_on = day_in(rng_, "2018-01-01", "2019-12-31");
    append("person-" + id, id, e);
    people_.push_back(id);
  }

  void act() {
    const int what = std::uniform_int_distribution<int>(0, 99)(rng_);
    if (what < 18) return start();
    if (what < 29) return end();
    if (what < 40) return review();
    if (what < 53) return request();
    if (what < 64) return stop_waiting();
    if (what < 71) return concern();
    if (what < 77) return decide();
    if (what < 82) return conclude();
    if (what < 86) return place();
    if (what < 93) return arrange();
    return correct();
  }

  void place() {
    Placement p{"placement-h" + std::to_string(placements_.size()),
                pick(rng_, people_),
                {},
                false,
                std::nullopt};
    domain::PlacementStarted e;
    e.placement_id = domain::PlacementId{p.stream.substr(10)};
    e.person_id = domain::PersonId{p.person};
    e.team = domain::Team{team_of_[p.person]};
    e.started_on = p.started_on = day_in(rng_, "2019-01-01", "2026-03-31");
    e.weekly_cost = domain::Pence{std::uniform_int_distribution<int>(50000, 150000)(rng_)};
    e.property_disregard = chance(rng_, 0.8);
    append(p.stream, p.person, e);
    placements_.push_back(p);
  }

  // Self-funding, or an agreement offered, signed, charged, repaid or terminated, on dates
  // around the disregard's end: before it, on it and long after.
  void arrange() {
    if (placements_.empty()) return;
    auto& p =
        placements_[std::uniform_int_distribution<std::size_t>(0, placements_.size() - 1)(rng_)];
    if (gone(p.stream)) return;
    auto after = [&](Date from, int most) {
      return from + date::days{std::uniform_int_distribution<int>(0, most)(rng_)};
    };
    const domain::AgreementId agreement{"d" + p.stream.substr(11)};
    const int what = std::uniform_int_distribution<int>(0, 5)(rng_);
    if (what == 0) {
      append(p.stream, p.person, domain::SelfFundingArranged{after(p.started_on, 150)});
    } else if (!p.offered) {
      p.offered = true;
      append(p.stream, p.person, domain::AgreementOffered{agreement, after(p.started_on, 60)});
    } else if (!p.signed_on) {
      p.signed_on = after(p.started_on, 150);
      append(p.stream, p.person,
             domain::AgreementSigned{
                 agreement, *p.signed_on,
                 // Some near their equity limit within months, some never.
                 domain::Pence{chance(rng_, 0.5) ? 4000000 : 30000000}, domain::Pence{0},
                 domain::Pence{std::uniform_int_distribution<int>(0, 60000)(rng_)},
                 std::uniform_int_distribution<int>(100, 400)(rng_)});
    } else if (what == 1 && !p.terminated) {
      p.terminated = true;
      append(p.stream, p.person,
             domain::AgreementTerminated{agreement, after(*p.signed_on, 700),
                                         domain::TerminationReason::deceased});
    } else if (what <= 3) {
      append(p.stream, p.person,
             domain::AgreementRepaid{agreement, after(*p.signed_on, 1000),
                                     domain::Pence{chance(rng_, 0.3) ? 2000000 : 5000}});
    } else {
      append(p.stream, p.person,
             domain::AgreementCharged{agreement, after(*p.signed_on, 1000), domain::Pence{40000},
                                      "administration"});
    }
  }

  void request() {
    Request r{"assessment-a" + std::to_string(requests_.size()), pick(rng_, people_), {}};
    domain::AssessmentRequested e;
    e.assessment_id = domain::AssessmentId{r.stream.substr(11)};
    e.person_id = domain::PersonId{r.person};
    e.team = domain::Team{team_of_[r.person]};
    e.requested_on = r.requested_on = day_in(rng_, "2019-01-01", "2026-03-31");
    if (!requests_.empty() && chance(rng_, 0.3)) {  // another request of someone, the same day
      const auto& other = pick(rng_, requests_);
      r.person = other.person;
      e.person_id = domain::PersonId{r.person};
      e.team = domain::Team{team_of_[r.person]};
      e.requested_on = r.requested_on = other.requested_on;
    }
    e.priority = pick(rng_, std::vector{domain::Priority::urgent, domain::Priority::high,
                                        domain::Priority::medium, domain::Priority::low});
    append(r.stream, r.person, e);
    requests_.push_back(r);
  }

  // Allocates, completes or closes a request.
  void stop_waiting() {
    if (requests_.empty()) return;
    auto& r = requests_[std::uniform_int_distribution<std::size_t>(0, requests_.size() - 1)(rng_)];
    if (r.stopped || gone(r.stream)) return;
    const Date on = r.requested_on + date::days{std::uniform_int_distribution<int>(0, 500)(rng_)};
    if (chance(rng_, 0.4)) {  // to someone, on a day while it waits or later
      append(r.stream, r.person,
             domain::AssessmentAllocated{pick(rng_, std::vector<std::string>{"Sam", "Kim", "Ash"}),
                                         on - date::days{200}});
      return;
    }
    r.stopped = true;
    if (chance(rng_, 0.7)) {
      append(r.stream, r.person, domain::AssessmentCompleted{on, chance(rng_, 0.5), std::nullopt});
    } else {
      append(r.stream, r.person, domain::AssessmentClosed{on, domain::ClosureReason::withdrawn});
    }
  }

  void concern() {
    Concern c{"concern-c" + std::to_string(concerns_.size()), pick(rng_, people_), {}};
    domain::ConcernReceived e;
    e.concern_id = domain::ConcernId{c.stream.substr(8)};
    e.person_id = domain::PersonId{c.person};
    e.team = domain::Team{team_of_[c.person]};
    e.received_on = c.received_on = day_in(rng_, "2019-01-01", "2026-03-31");
    append(c.stream, c.person, e);
    concerns_.push_back(c);
  }

  void decide() {
    if (concerns_.empty()) return;
    auto& c = concerns_[std::uniform_int_distribution<std::size_t>(0, concerns_.size() - 1)(rng_)];
    if (c.decided || gone(c.stream)) return;
    c.decided = true;
    domain::ConcernDecided d;
    d.decided_on = c.decided_on =
        c.received_on + date::days{std::uniform_int_distribution<int>(0, 40)(rng_)};
    d.outcome = pick(rng_, std::vector{domain::ConcernOutcome::section_42_enquiry,
                                       domain::ConcernOutcome::other_enquiry,
                                       domain::ConcernOutcome::no_further_action});
    if (d.outcome != domain::ConcernOutcome::no_further_action) {
      d.enquiry_id = domain::EnquiryId{"e" + c.stream.substr(9)};
      c.enquiry = true;
    }
    append(c.stream, c.person, d);
  }

  void conclude() {
    if (concerns_.empty()) return;
    auto& c = concerns_[std::uniform_int_distribution<std::size_t>(0, concerns_.size() - 1)(rng_)];
    if (!c.enquiry || c.concluded || gone(c.stream)) return;
    c.concluded = true;
    domain::EnquiryConcluded e;
    e.enquiry_id = domain::EnquiryId{"e" + c.stream.substr(9)};
    e.concluded_on = c.decided_on + date::days{std::uniform_int_distribution<int>(0, 150)(rng_)};
    e.risk_identified =
        pick(rng_, std::vector{domain::RiskIdentified::yes, domain::RiskIdentified::no,
                               domain::RiskIdentified::inconclusive});
    if (e.risk_identified == domain::RiskIdentified::yes) {
      e.risk_outcome =
          pick(rng_, std::vector{domain::RiskOutcome::removed, domain::RiskOutcome::reduced,
                                 domain::RiskOutcome::remains});
    }
    e.outcomes_asked = pick(
        rng_, std::vector{domain::OutcomesAsked::expressed, domain::OutcomesAsked::not_expressed,
                          domain::OutcomesAsked::not_asked});
    if (e.outcomes_asked == domain::OutcomesAsked::expressed) {
      e.outcomes_achieved = pick(
          rng_, std::vector{domain::OutcomesAchieved::fully, domain::OutcomesAchieved::partially,
                            domain::OutcomesAchieved::not_achieved});
    }
    append(c.stream, c.person, e);
  }

  void start() {
    Episode e{"support-s" + std::to_string(episodes_.size()), pick(rng_, people_), {}, {}};
    e.kind = chance(rng_, 0.7) ? domain::SupportKind::long_term : domain::SupportKind::short_term;
    e.started_on = day_in(rng_, "2019-01-01", "2025-12-31");
    // Near-touching episodes, so that the seven-day rule and the moves between care homes
    // are met: sometimes start right after another of the person's episodes ends.
    domain::SupportStarted s;
    s.episode_id = domain::SupportEpisodeId{e.stream.substr(8)};
    s.person_id = domain::PersonId{e.person};
    s.team = domain::Team{team_of_[e.person]};
    s.kind = e.kind;
    s.setting = pick(rng_, std::vector{domain::Setting::community, domain::Setting::residential,
                                       domain::Setting::nursing});
    s.delivery =
        pick(rng_, std::vector{domain::Delivery::council_arranged, domain::Delivery::direct_payment,
                               domain::Delivery::managed_personal_budget,
                               domain::Delivery::individual_service_fund});
    if (!ended_on_.empty() && chance(rng_, 0.3)) {
      const auto& [person, ended] =
          ended_on_[std::uniform_int_distribution<std::size_t>(0, ended_on_.size() - 1)(rng_)];
      e.person = person;
      s.person_id = domain::PersonId{person};
      s.team = domain::Team{team_of_[person]};
      e.started_on = ended + date::days{std::uniform_int_distribution<int>(0, 10)(rng_)};
    }
    s.started_on = e.started_on;
    append(e.stream, e.person, s);
    episodes_.push_back(e);
  }

  void end() {
    if (episodes_.empty()) return;
    auto& e = episodes_[std::uniform_int_distribution<std::size_t>(0, episodes_.size() - 1)(rng_)];
    if (e.ended || gone(e.stream)) return;
    e.ended = true;
    domain::SupportEnded s;
    s.ended_on = e.started_on + date::days{std::uniform_int_distribution<int>(0, 900)(rng_)};
    if (e.kind == domain::SupportKind::short_term) {
      s.sequel = pick(
          rng_, std::vector{domain::Sequel::long_term_support, domain::Sequel::no_ongoing_support,
                            domain::Sequel::lower_level_support, domain::Sequel::other});
    }
    append(e.stream, e.person, s);
    ended_on_.emplace_back(e.person, s.ended_on);
  }

  void review() {
    domain::ReviewRecorded r;
    r.review_id = domain::ReviewId{"r" + std::to_string(reviews_++)};
    r.person_id = domain::PersonId{pick(rng_, people_)};
    r.team = domain::Team{team_of_[r.person_id.str()]};
    r.reviewed_on = day_in(rng_, "2019-01-01", "2026-03-31");
    append("review-" + r.review_id.str(), r.person_id.str(), r);
  }

  // Voids the latest standing event of a record, as a correction may (nothing later rests on
  // it); a record whose first event is voided is gone, and nothing more is recorded on it.
  void correct() {
    std::vector<std::string> streams;
    for (const auto& [stream, standing] : standing_) {
      if (!standing.empty()) streams.push_back(stream);
    }
    if (streams.empty()) return;
    const auto stream = pick(rng_, streams);
    domain::EventVoided v{standing_[stream].back(), "entered in error",
                          day_in(rng_, "2026-01-01", "2026-03-31")};
    append(stream, persons_[stream], v);
  }
  bool gone(const std::string& stream) const { return dead_.contains(stream); }

  struct Placement {
    std::string stream;
    std::string person;
    Date started_on;
    bool offered = false;
    std::optional<Date> signed_on;
    bool terminated = false;
  };
  struct Request {
    std::string stream;
    std::string person;
    Date requested_on;
    bool stopped = false;
  };
  struct Concern {
    std::string stream;
    std::string person;
    Date received_on;
    Date decided_on{};
    bool decided = false;
    bool enquiry = false;
    bool concluded = false;
  };
  std::map<std::string, std::vector<std::string>> standing_;  // event ids, by stream
  std::map<std::string, std::string> persons_;                // by stream
  std::set<std::string> dead_;
  persistence::Connection& db_;
  std::mt19937 rng_;
  int clock_ = 0;
  std::map<std::string, std::string> team_of_;
  std::vector<std::string> people_;
  std::vector<Episode> episodes_;
  std::vector<std::pair<std::string, Date>> ended_on_;
  int reviews_ = 0;
  std::vector<Request> requests_;
  std::vector<Concern> concerns_;
  std::vector<Placement> placements_;
  std::vector<std::string> moments_;
};

std::string describe(const domain::AssessmentFigures& a) {
  std::ostringstream out;
  out << " waiting " << a.waiting.people << " bands";
  for (auto n : a.waiting.by_band) out << " " << n;
  out << " priorities";
  for (auto n : a.waiting.by_priority) out << " " << n;
  auto number = [](const std::optional<double>& v) { return v ? std::to_string(*v) : "null"; };
  out << " completed " << a.completions.count << " mean " << number(a.completions.mean)
      << " median " << number(a.completions.median) << " p90 " << number(a.completions.p90)
      << " requested " << a.requested;
  return out.str();
}

std::string describe(const domain::SafeguardingFigures& f) {
  std::ostringstream out;
  out << " concerns " << f.received << " enquiries " << f.section_42 << "/" << f.other
      << " concluded " << f.concluded << " within " << f.within_3_months << " risk "
      << f.risk_reduced_or_removed << "/" << f.risk_identified << " asked " << f.expressed << "/"
      << f.not_expressed << "/" << f.not_asked << " achieved " << f.fully << "/" << f.partially
      << "/" << f.not_achieved << " open " << f.open_concerns << "/" << f.open_enquiries;
  return out.str();
}

std::string describe(const domain::SupportFigures& f, long long clients, long long reviews) {
  std::ostringstream out;
  out << "reviewed " << f.reviewed.numerator << "/" << f.reviewed.denominator << " overdue "
      << f.overdue << " over3 " << f.overdue_over_three_years << " 2a " << f.ascof_2a.numerator
      << "/" << f.ascof_2a.denominator << " 2b " << f.admissions.age_18_64 << " 2c "
      << f.admissions.age_65_plus << " 3d " << f.self_directed.self_directed << "/"
      << f.self_directed.direct_payment << "/" << f.self_directed.people << " clients " << clients
      << " reviews " << reviews;
  return out.str();
}

std::string describe(const domain::DeferredPaymentFigures& f) {
  std::ostringstream out;
  out << " disregard ending " << f.disregard_ending << " unarranged " << f.unarranged << " active "
      << f.active << " signed " << f.signed_in_period << " outstanding " << f.outstanding.value()
      << " placements " << f.placements_started;
  return out.str();
}

// Interest capped below some agreements' rates for a while.
const domain::Configuration config{
    {},
    1425000,
    {{Date{date::year{2020} / 7 / 1}, 200}, {Date{date::year{2022} / 1 / 1}, 450}},
    std::nullopt};

// The figures as the measures computed them before the totals: every episode, review,
// request, concern and enquiry of the teams, read from the records' rows.
std::string reference(persistence::Connection& db, Date from, Date to, const TeamFilter& teams) {
  const auto reviews = persistence::review_facts(db, to, teams);
  const auto people = domain::group_by_person(persistence::episode_facts(db, to, teams), reviews);
  long long clients = 0, recorded = 0;
  for (const auto& [id, person] : people) {
    clients += domain::in_long_term_support_on(person.long_term, to);
  }
  for (const auto& r : reviews) recorded += from <= r.reviewed_on;
  std::ostringstream out;
  out << describe(domain::support_figures(people, from, to), clients, recorded);
  std::vector<domain::OpenRequest> open;
  for (auto& item : persistence::waiting_from_requests(db, to, teams, std::nullopt)) {
    open.push_back({item.person_id, item.requested_on, item.priority});
  }
  domain::AssessmentFigures a;
  a.waiting = domain::summarise_waiting(open, to);
  a.completions = domain::completion_stats(persistence::completion_days(db, from, to, teams));
  a.requested = persistence::count_requested(db, from, to, teams);
  out << describe(a)
      << describe(domain::safeguarding_figures(persistence::concern_facts(db, from, to, teams),
                                               persistence::enquiry_facts(db, from, to, teams),
                                               from, to))
      << describe(domain::deferred_payment_figures(persistence::placements(db, to, teams), config,
                                                   from, to));
  return out.str();
}

// The same figures from the kept totals and agreements, live or as known at a moment; with
// `read_ahead`, everything they ask of the totals read first, together (as the measures are).
std::string kept(persistence::Connection& db, Date from, Date to, const TeamFilter& teams,
                 const std::optional<std::string>& known_at, bool read_ahead = false) {
  persistence::FigureSource source(db, teams, known_at);
  auto figures = [&](domain::RunningTotals& totals,
                     const std::vector<domain::AgreementState>& agreements) {
    std::ostringstream out;
    out << describe(domain::support_figures(totals, from, to),
                    domain::long_term_clients(totals, to),
                    domain::reviews_recorded(totals, from, to))
        << describe(domain::assessment_figures(totals, from, to))
        << describe(domain::safeguarding_figures(totals, from, to))
        << describe(domain::deferred_payment_figures(totals, agreements, config, from, to));
    return out.str();
  };
  if (read_ahead) {
    domain::AskRecorder asks;
    figures(asks, {});
    source.totals().read_ahead(asks.asks());
  }
  return figures(source.totals(), source.signed_agreements());
}

// The request figures and long-term clients from the kept totals (as known at a moment), read
// ahead or one by one: the same either way (`requests_completed`'s keys at or above 1 too).
std::string kept_requests(persistence::Connection& db, Date from, Date to, const TeamFilter& teams,
                          const std::optional<std::string>& known_at, bool read_ahead) {
  persistence::FigureSource source(db, teams, known_at);
  auto figures = [&](domain::RunningTotals& totals) {
    const auto r = domain::request_figures(totals, from, to);
    const auto l = domain::long_term_clients_by(totals, to);
    std::ostringstream out;
    out << "completed " << r.completed << " derived " << r.derived << " new " << r.new_clients;
    for (const auto& [route, n] : r.new_clients_by_route) {
      out << " route" << static_cast<int>(route) << " " << n;
    }
    out << " long-term " << l.age_18_64 << " " << l.age_65_plus << " " << l.community << " "
        << l.residential << " " << l.nursing;
    return out.str();
  };
  if (read_ahead) {
    domain::AskRecorder asks;
    figures(asks);
    source.totals().read_ahead(asks.asks());
  }
  return figures(source.totals());
}

std::string describe(const std::vector<domain::OverdueReview>& list) {
  std::ostringstream out;
  for (const auto& r : list) {
    out << r.person_id.str() << " " << r.team.str() << " "
        << (r.last_reviewed_on ? domain::format_date(*r.last_reviewed_on) : "never") << " "
        << domain::format_date(r.due_on) << " " << r.days_overdue << " " << r.over_three_years
        << "\n";
  }
  return out.str();
}

std::string describe(const std::vector<domain::WaitingItem>& list) {
  std::ostringstream out;
  for (const auto& w : list) {
    out << w.assessment_id.str() << " " << w.person_id.str() << " " << w.team.str() << " "
        << domain::code_name(w.priority) << " " << domain::format_date(w.requested_on) << " "
        << w.allocated_to.value_or("none") << "\n";
  }
  return out.str();
}

std::string describe(const std::vector<domain::OpenItem>& list) {
  std::ostringstream out;
  for (const auto& o : list) {
    out << (o.is_concern ? "concern " : "enquiry ") << o.id << " " << o.person_id.str() << " "
        << o.team.str() << " " << domain::format_date(o.since) << " " << o.days_open << "\n";
  }
  return out.str();
}

// The items of a window of a whole list.
template <typename Item>
std::vector<Item> window_of(const std::vector<Item>& all, const persistence::ListWindow& window) {
  const auto first = std::min(window.offset, all.size());
  const auto end = window.limit ? std::min(first + *window.limit, all.size()) : all.size();
  return {all.begin() + static_cast<std::ptrdiff_t>(first),
          all.begin() + static_cast<std::ptrdiff_t>(end)};
}

// A person's name and date of birth as a list keeps them, against their record.
void expect_as_recorded(persistence::Connection& db, const persistence::PersonName& person,
                        const std::string& where) {
  const auto recorded = persistence::person_names(db, {person.id});
  ASSERT_EQ(recorded.size(), 1u) << where;
  EXPECT_EQ(person.given_name + " " + person.family_name,
            recorded[0].given_name + " " + recorded[0].family_name)
      << where;
  EXPECT_EQ(person.date_of_birth, recorded[0].date_of_birth) << where;
}

// A kept list's people are the people of its items, named and born as their records say.
template <typename Item>
void expect_people_as_recorded(persistence::Connection& db, const persistence::ListRows<Item>& rows,
                               const std::string& where) {
  ASSERT_EQ(rows.people.size(), rows.items.size()) << where;
  for (std::size_t i = 0; i < rows.items.size(); ++i) {
    EXPECT_EQ(rows.people[i].id, rows.items[i].person_id) << where;
    expect_as_recorded(db, rows.people[i], where);
  }
}

// The casework lists as at `to` from their kept spells, whole and a window of each, with their
// counts, against the lists read plainly from the records' rows.
void check_lists(persistence::Connection& db, Date to, const TeamFilter& teams, std::mt19937& rng,
                 const std::string& where) {
  // (Now and then from an offset to the end: the window's end is then the largest there is.)
  const persistence::ListWindow window{
      std::uniform_int_distribution<std::size_t>(0, 6)(rng),
      chance(rng, 0.2) ? std::nullopt
                       : std::optional(std::uniform_int_distribution<std::size_t>(1, 5)(rng))};
  const std::string at = where + " as at " + domain::format_date(to);

  const auto people = domain::group_by_person(persistence::episode_facts(db, to, teams),
                                              persistence::review_facts(db, to, teams));
  const auto overdue = domain::overdue_reviews(people, to);
  const auto kept_overdue = persistence::overdue_reviews_as_at(db, to, teams);
  ASSERT_EQ(describe(kept_overdue.items), describe(overdue)) << at << " overdue";
  expect_people_as_recorded(db, kept_overdue, at + " overdue");
  ASSERT_EQ(describe(persistence::overdue_reviews_as_at(db, to, teams, window).items),
            describe(window_of(overdue, window)))
      << at << " overdue from " << window.offset;
  const auto overdue_counts = persistence::overdue_counts_as_at(db, to, teams);
  EXPECT_EQ(overdue_counts.total, static_cast<long long>(overdue.size())) << at;
  EXPECT_EQ(overdue_counts.over_three_years,
            std::count_if(overdue.begin(), overdue.end(),
                          [](const auto& r) { return r.over_three_years; }))
      << at;

  const std::optional<domain::Priority> priority =
      chance(rng, 0.3) ? std::optional(pick(
                             rng, std::vector{domain::Priority::urgent, domain::Priority::medium}))
                       : std::nullopt;
  const auto waiting = persistence::waiting_from_requests(db, to, teams, priority);
  const auto kept_waiting = persistence::waiting_as_at(db, to, teams, priority, {});
  ASSERT_EQ(describe(kept_waiting.items), describe(waiting)) << at << " waiting";
  expect_people_as_recorded(db, kept_waiting, at + " waiting");
  ASSERT_EQ(describe(persistence::waiting_as_at(db, to, teams, priority, window).items),
            describe(window_of(waiting, window)))
      << at << " waiting from " << window.offset;
  std::set<domain::PersonId> waiting_people;
  for (const auto& w : waiting) waiting_people.insert(w.person_id);
  EXPECT_EQ(persistence::people_waiting_as_at(db, to, teams, priority),
            static_cast<long long>(waiting_people.size()))
      << at;

  const auto open = domain::open_safeguarding(persistence::concern_facts(db, to, to, teams),
                                              persistence::enquiry_facts(db, to, to, teams), to);
  const auto kept_open = persistence::open_safeguarding_as_at(db, to, teams);
  ASSERT_EQ(describe(kept_open.items), describe(open)) << at << " open safeguarding";
  expect_people_as_recorded(db, kept_open, at + " open safeguarding");
  ASSERT_EQ(describe(persistence::open_safeguarding_as_at(db, to, teams, window).items),
            describe(window_of(open, window)))
      << at << " open safeguarding from " << window.offset;
  const auto open_counts = persistence::open_safeguarding_counts(db, to, teams);
  EXPECT_EQ(open_counts.concerns_awaiting_decision,
            std::count_if(open.begin(), open.end(), [](const auto& o) { return o.is_concern; }))
      << at;
  EXPECT_EQ(open_counts.enquiries_open,
            std::count_if(open.begin(), open.end(), [](const auto& o) { return !o.is_concern; }))
      << at;
}

std::string describe(const domain::Attention& a) {
  std::ostringstream out;
  for (const auto& d : a.disregard_ending) out << "ending " << d.placement_id.str() << "\n";
  for (const auto& u : a.unarranged) out << "unarranged " << u.placement_id.str() << "\n";
  for (const auto& n : a.near_equity_limit) out << "near " << n.agreement_id.str() << "\n";
  return out.str();
}

struct Checks {
  int made = 0;
  int nonzero = 0;  // checks whose figures were not all zero: the test tests something
};

// Checks the kept figures of `db` (as known at `known_at`) against the reference computed on
// `reference_db` (`db` itself, or the log as then known replayed into a store of its own).
void check_figures(persistence::Connection& reference_db, persistence::Connection& db,
                   const std::optional<std::string>& known_at, std::mt19937& rng, int times,
                   Checks& checks, const std::string& where) {
  const std::vector<TeamFilter> filters{std::nullopt, std::vector{domain::Team{"north"}},
                                        std::vector{domain::Team{"south"}, domain::Team{"east"}}};
  for (int i = 0; i < times; ++i) {
    Date from = day_in(rng, "2018-06-01", "2026-06-30");
    Date to = day_in(rng, "2018-06-01", "2026-06-30");
    if (chance(rng, 0.3)) {  // a financial year or a month, as the reports ask
      from = domain::financial_year_start(from);
      to = domain::add_months(from, chance(rng, 0.5) ? 12 : 1) - date::days{1};
    }
    if (to < from) std::swap(from, to);
    const auto teams = pick(rng, filters);
    const auto expected = reference(reference_db, from, to, teams);
    const bool read_ahead = chance(rng, 0.5);
    ASSERT_EQ(kept(db, from, to, teams, known_at, read_ahead), expected)
        << where << " from " << domain::format_date(from) << " to " << domain::format_date(to)
        << " teams " << (teams ? teams->front().str() : "all")
        << (read_ahead ? ", read ahead" : "");
    ASSERT_EQ(kept_requests(db, from, to, teams, known_at, true),
              kept_requests(db, from, to, teams, known_at, false))
        << where << " requests from " << domain::format_date(from) << " to "
        << domain::format_date(to);
    ++checks.made;
    checks.nonzero += expected.find_first_of("123456789") != std::string::npos;
    if (known_at) continue;  // the lists are as the log stands
    check_lists(db, to, teams, rng, where);
    if (::testing::Test::HasFatalFailure()) return;
    // The deferred payments needing attention, from the placements that may need it, with the
    // name of each one's person as recorded.
    const auto listed = persistence::placements_for_attention(db, to, teams);
    ASSERT_EQ(describe(domain::attention(listed.placements, config, to, 28)),
              describe(domain::attention(persistence::placements(db, to, teams), config, to, 28)))
        << where << " attention as at " << domain::format_date(to);
    std::set<std::string> named;
    for (const auto& person : listed.people) {
      expect_as_recorded(db, person, where);
      named.insert(person.id.str());
    }
    for (const auto& placement : listed.placements) {
      EXPECT_TRUE(named.contains(placement.person_id.str())) << where << " " << placement.id.str();
    }
  }
}

// Forty random councils, ten to a test (each part well inside ctest's timeout under the
// sanitizers, and the parts run side by side).
class RunningTotalsOfCouncils : public ::testing::TestWithParam<unsigned> {};

TEST_P(RunningTotalsOfCouncils, EqualTheFiguresComputedStraightFromTheRecords) {
  constexpr int councils = 10;
  Checks checks;
  const unsigned first = GetParam() * councils + 1;
  for (unsigned seed = first; seed < first + councils; ++seed) {
    testing::TempDir dir;
    auto db = persistence::open_writer(dir.file("c.db"));
    RandomCouncil council(*db, seed);
    council.record(12, 150);
    std::mt19937 rng(seed * 7919);
    const std::string where = "council " + std::to_string(seed);
    check_figures(*db, *db, std::nullopt, rng, 40, checks, where);
    if (::testing::Test::HasFatalFailure()) return;

    // As known at moments part-way through (and before anything was recorded): the figures of
    // the log as it then stood, replayed whole into a store of its own.
    const auto& moments = council.moments();
    for (int i = 0; i < 3; ++i) {
      const auto moment =
          i == 0 ? std::string("2025-12-31T23:59:59.000Z")
                 : moments[std::uniform_int_distribution<std::size_t>(0, moments.size() - 1)(rng)];
      auto then = persistence::open_writer(":memory:");
      {
        careledger::persistence::Transaction tx(*then);
        persistence::replay_known_at(*db, *then, moment);
        tx.commit();
      }
      check_figures(*then, *db, moment, rng, 10, checks, where + " known at " + moment);
      if (::testing::Test::HasFatalFailure()) return;
    }

    // Kept event by event, the totals are what a rebuild from the log makes of it.
    const auto live = persistence::dump_read_models(*db);
    careledger::persistence::Transaction tx(*db);
    persistence::rebuild_read_models(*db);
    ASSERT_EQ(persistence::dump_read_models(*db), live) << where;
  }
  RecordProperty("checks", checks.made);
  EXPECT_EQ(checks.made, councils * 70);
  EXPECT_GT(checks.nonzero, checks.made * 3 / 4);
}

INSTANTIATE_TEST_SUITE_P(RunningTotals, RunningTotalsOfCouncils, ::testing::Range(0U, 4U));

// Days before 1970 are negative day numbers in a person's stored contributions: they read back
// as days (not as an open spell's end), so a second event on the person steps only what changed.
TEST(RunningTotals, KeepDaysBefore1970) {
  testing::TempDir dir;
  auto db = persistence::open_writer(dir.file("c.db"));
  auto day = [](const char* text) { return domain::parse_date(text).value(); };
  domain::PersonRegistered p;
  p.person_id = domain::PersonId{"p1"};
  p.given_name = "Given";
  p.family_name = "Family";
  p.date_of_birth = day("1920-03-01");
  p.team = domain::Team{"north"};
  p.registered_on = day("1964-01-01");
  record_event(*db, "person-p1", "p1", "north", p, "2026-01-01T00:00:00.000Z");
  domain::SupportStarted s;
  s.episode_id = domain::SupportEpisodeId{"s1"};
  s.person_id = p.person_id;
  s.team = p.team;
  s.kind = domain::SupportKind::long_term;
  s.setting = domain::Setting::community;
  s.delivery = domain::Delivery::direct_payment;
  s.started_on = day("1965-01-01");
  record_event(*db, "support-s1", "p1", "north", s, "2026-01-01T00:00:01.000Z");
  domain::ReviewRecorded r;
  r.review_id = domain::ReviewId{"r1"};
  r.person_id = p.person_id;
  r.team = p.team;
  r.reviewed_on = day("1966-06-01");
  record_event(*db, "review-r1", "p1", "north", r, "2026-01-01T00:00:02.000Z");
  r.review_id = domain::ReviewId{"r2"};
  r.reviewed_on = day("2024-06-01");
  record_event(*db, "review-r2", "p1", "north", r, "2026-01-01T00:00:03.000Z");

  for (const char* to : {"1966-03-31", "1968-03-31", "2024-03-31", "2025-03-31"}) {
    const Date from = domain::financial_year_start(day(to));
    const auto expected = reference(*db, from, day(to), std::nullopt);
    EXPECT_EQ(kept(*db, from, day(to), std::nullopt, std::nullopt), expected) << to;
    EXPECT_NE(expected.find("clients 1"), std::string::npos) << to;
  }
  const auto live = persistence::dump_read_models(*db);
  careledger::persistence::Transaction tx(*db);
  persistence::rebuild_read_models(*db);
  EXPECT_EQ(persistence::dump_read_models(*db), live);
}

}  // namespace
}  // namespace careledger
