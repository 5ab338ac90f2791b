#include "tools/synthetic.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <optional>
#include <ostream>
#include <random>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

namespace careledger::tools {

namespace json = boost::json;
using domain::Date;

namespace {

constexpr std::array<const char*, 4> teams{"north", "south", "east", "west"};

// A code and how often it is drawn. A null code draws "not given".
struct Weighted {
  double weight;
  const char* code;
};

using Table = std::span<const Weighted>;

constexpr bool sums_to_one(Table table) {
  double total = 0;
  for (const auto& entry : table) total += entry.weight;
  return total > 0.9999 && total < 1.0001;
}

// The Client Level Data inputs (CLD.md §3). The proportions are rough: England's shapes where a
// national figure exists (named), a plausible guess where none does.

// Men are more of the younger clients (learning disability, mental health), women most of the
// older: roughly SALT's long-term support by age and gender.
constexpr Weighted genders_18_64[] = {
    {0.535, "male"}, {0.458, "female"}, {0.002, "other"}, {0.005, "unknown"}};
constexpr Weighted genders_65_plus[] = {
    {0.38, "male"}, {0.615, "female"}, {0.001, "other"}, {0.004, "unknown"}};
// Census 2021 (England, adults), tilted towards White British as clients are older than the
// population, with the 3-4% recorded as refused or not known that councils' returns show.
constexpr Weighted ethnicities[] = {{0.78, "white_british"},
                                    {0.012, "white_irish"},
                                    {0.001, "white_gypsy_irish_traveller"},
                                    {0.001, "white_roma"},
                                    {0.04, "white_other"},
                                    {0.004, "mixed_white_black_caribbean"},
                                    {0.002, "mixed_white_black_african"},
                                    {0.003, "mixed_white_asian"},
                                    {0.003, "mixed_other"},
                                    {0.025, "asian_indian"},
                                    {0.02, "asian_pakistani"},
                                    {0.008, "asian_bangladeshi"},
                                    {0.004, "asian_chinese"},
                                    {0.01, "asian_other"},
                                    {0.02, "black_african"},
                                    {0.014, "black_caribbean"},
                                    {0.005, "black_other"},
                                    {0.003, "arab"},
                                    {0.008, "other_ethnic_group"},
                                    {0.007, "refused"},
                                    {0.03, "not_known"}};
// No national figure yet (the field is new with CLD): a guess.
constexpr Weighted unpaid_carers[] = {{0.42, "yes"}, {0.48, "no"}, {0.1, "unknown"}};
// The coarse reasons drawn before CLD, split as SALT's LTS001b splits them (roughly).
constexpr Weighted physical_reasons[] = {{0.88, "physical_personal_care"},
                                         {0.12, "physical_access_mobility"}};
constexpr Weighted sensory_reasons[] = {
    {0.55, "sensory_visual"}, {0.35, "sensory_hearing"}, {0.1, "sensory_dual"}};
constexpr Weighted social_reasons[] = {{0.75, "social_isolation_other"},
                                       {0.17, "social_substance_misuse"},
                                       {0.08, "social_asylum_seeker"}};
// Requests that may lead to an assessment: most from the community, a fifth from hospital.
constexpr Weighted assessment_routes[] = {{0.62, "community_other"},
                                          {0.2, "discharge_from_hospital"},
                                          {0.05, "diversion_from_hospital"},
                                          {0.03, "planned_entry_transition"},
                                          {0.04, "self_funder"},
                                          {0.02, "transfer_from_other_la"},
                                          {0.005, "prison"},
                                          {0.035, "discharge_from_reablement"}};
// Short-term support to maximise independence mostly follows a hospital stay.
constexpr Weighted short_term_routes[] = {{0.6, "discharge_from_hospital"},
                                          {0.12, "diversion_from_hospital"},
                                          {0.25, "community_other"},
                                          {0.01, "self_funder"},
                                          {0.02, "transfer_from_other_la"}};
// Requests that end in neither assessment nor service: after the shape of SALT's STS001, where
// universal services and signposting, then no service, are most new clients' outcomes.
constexpr Weighted request_only_outcomes[] = {{0.5, "nfa_information_advice"},
                                              {0.18, "nfa_no_services_other"},
                                              {0.08, "nfa_self_funded"},
                                              {0.07, "nfa_support_declined"},
                                              {0.04, "nfa_other"},
                                              {0.03, "admitted_to_hospital"},
                                              {0.04, "nfa_nhs_funded"},
                                              {0.02, "nfa_moved_to_another_la"},
                                              {0.02, "progress_to_end_of_life_care"},
                                              {0.02, "nfa_deceased"}};
// An assessment's outcome follows its finding: support planning for eligible needs, advice for
// the rest.
constexpr Weighted eligible_outcomes[] = {{0.86, "progress_to_support_planning"},
                                          {0.05, "progress_to_reablement"},
                                          {0.02, "progress_to_end_of_life_care"},
                                          {0.04, "nfa_self_funded"},
                                          {0.03, "nfa_support_declined"}};
constexpr Weighted not_eligible_outcomes[] = {
    {0.75, "nfa_information_advice"}, {0.2, "nfa_no_services_other"}, {0.05, "nfa_other"}};
// Short-term support is reablement (ST-Max) but for a few.
constexpr Weighted short_term_types[] = {
    {0.9, "st_max"}, {0.07, "ongoing_low_level"}, {0.03, "other_short_term"}};
constexpr Weighted st_max_components[] = {{0.9, "reablement"}, {0.1, "other_short_term_support"}};
constexpr Weighted other_short_term_components[] = {{0.5, "other_short_term_support"},
                                                    {0.5, "equipment"}};
// What ends short-term support whose sequel is `other`.
constexpr Weighted short_term_other_ends[] = {{0.45, "admitted_to_hospital"},
                                              {0.2, "nfa_deceased"},
                                              {0.1, "nfa_nhs_funded"},
                                              {0.15, "nfa_support_declined"},
                                              {0.1, "progress_to_end_of_life_care"}};
// Community long-term support without a direct payment, whose component CLD cannot default.
constexpr Weighted community_components[] = {{0.62, "home_support"},
                                             {0.18, "community_supported_living"},
                                             {0.07, "extra_care_housing"},
                                             {0.03, "shared_lives"},
                                             {0.1, "equipment"}};
// Long-term support that ends other than by death; a fifth with no reason recorded (CLD then
// writes "NFA - Support ended: Other reason").
constexpr Weighted long_term_ends[] = {
    {0.25, "nfa_nhs_funded"},      {0.2, "nfa_self_funded"},      {0.15, "nfa_moved_to_another_la"},
    {0.1, "nfa_support_declined"}, {0.1, "admitted_to_hospital"}, {0.2, nullptr}};
// Roughly ASCOF 1B's shape for planned reviews; unplanned ones most often after a hospital stay.
constexpr Weighted outcomes_met[] = {
    {0.55, "fully_met"}, {0.37, "partially_met"}, {0.08, "not_met"}};
constexpr Weighted review_reasons[] = {
    {0.3, "unplanned_hospital"},          {0.12, "unplanned_carer"},
    {0.12, "unplanned_safeguarding"},     {0.36, "unplanned_other"},
    {0.04, "unplanned_provider_failure"}, {0.06, "unplanned_commissioning_change"}};

static_assert(sums_to_one(genders_18_64) && sums_to_one(genders_65_plus));
static_assert(sums_to_one(ethnicities) && sums_to_one(unpaid_carers));
static_assert(sums_to_one(physical_reasons) && sums_to_one(sensory_reasons) &&
              sums_to_one(social_reasons));
static_assert(sums_to_one(assessment_routes) && sums_to_one(short_term_routes));
static_assert(sums_to_one(request_only_outcomes) && sums_to_one(eligible_outcomes) &&
              sums_to_one(not_eligible_outcomes));
static_assert(sums_to_one(short_term_types) && sums_to_one(st_max_components) &&
              sums_to_one(other_short_term_components));
static_assert(sums_to_one(short_term_other_ends) && sums_to_one(community_components) &&
              sums_to_one(long_term_ends));
static_assert(sums_to_one(outcomes_met) && sums_to_one(review_reasons));

// Who dies when their long-term support ends, by setting (most residents leave care by dying).
double death_share(std::string_view setting) {
  if (setting == "nursing") return 0.9;
  if (setting == "residential") return 0.85;
  return 0.55;
}

// One stream of random draws.
class Draws {
 public:
  explicit Draws(std::uint64_t seed) : engine_(seed) {}

  double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }
  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(engine_); }
  int exponential_days(double mean) {
    return static_cast<int>(std::exponential_distribution<double>(1.0 / mean)(engine_));
  }
  template <typename T>
  const T& pick(const std::vector<std::pair<double, T>>& weighted) {
    double u = uniform();
    for (const auto& [weight, value] : weighted) {
      if (u < weight) return value;
      u -= weight;
    }
    return weighted.back().second;
  }
  // The tables above, without building a vector for each draw: generate writes millions of lines.
  const char* pick(Table weighted) {
    double u = uniform();
    for (const auto& [weight, code] : weighted) {
      if (u < weight) return code;
      u -= weight;
    }
    return weighted.back().code;
  }

 private:
  std::mt19937_64 engine_;
};

// A person as generated: their ref, and the details a later change starts from.
struct Person {
  std::string ref;
  const char* support_reason;
  const char* ethnicity;
  const char* unpaid_carer;
};

// The casework of one synthetic council, written as API requests.
//
// Two streams of draws: `main_` draws what the generator drew before the Client Level Data
// inputs, in the same order, so a seed's assessments, episodes, reviews, concerns and placements
// (their days, kinds and counts) are as they were; `cld_` draws the CLD inputs and the requests
// that lead to no assessment.
class Council {
 public:
  Council(const GenerateOptions& options, std::ostream& out)
      : main_(options.seed),
        cld_(options.seed ^ 0x9e3779b97f4a7c15u),
        scale_(options.scale),
        first_(domain::FinancialYear{options.last_year.first_year - options.years + 1}),
        last_(options.last_year),
        out_(out) {}

  std::size_t write() {
    for (const char* team : teams) {  // the register first: people name these
      std::string label = team;
      label[0] = static_cast<char>(label[0] - 'a' + 'A');
      line("", "/v1/teams", {{"name", team}, {"label", label + " team"}});
    }
    long_term_cohort(count(3600));
    for (int y = first_.first_year; y <= last_.first_year; ++y) {
      const domain::FinancialYear year{y};
      for (long n = count(10000); n > 0; --n) assessment(day_in(year));
      for (long n = count(700); n > 0; --n) long_term(day_in(year));
      for (long n = count(1800); n > 0; --n) short_term(day_in(year));
      for (long n = count(7000); n > 0; --n) concern(day_in(year));
      for (long n = count(260); n > 0; --n) placement(day_in(year));
      for (long n = count(2000); n > 0; --n) request_only(day_in(year, cld_));
    }
    return lines_;
  }

 private:
  long count(double per_year) { return std::lround(per_year * scale_); }
  double uniform() { return main_.uniform(); }
  int between(int low, int high) { return main_.between(low, high); }
  int exponential_days(double mean) { return main_.exponential_days(mean); }
  template <typename T>
  const T& pick(const std::vector<std::pair<double, T>>& weighted) {
    return main_.pick(weighted);
  }
  Date day_in(const domain::FinancialYear& year) { return day_in(year, main_); }
  static Date day_in(const domain::FinancialYear& year, Draws& draws) {
    return year.start() +
           date::days{draws.between(0, domain::days_between(year.start(), year.end()))};
  }
  bool recorded(Date day) const { return day <= last_.end(); }

  void line(const std::string& ref, const std::string& path, json::object body) {
    json::object l;
    if (!ref.empty()) l["ref"] = ref;
    l["method"] = "POST";
    l["path"] = path;
    l["body"] = std::move(body);
    out_ << json::serialize(l) << '\n';
    ++lines_;
  }
  std::string new_ref(char kind) { return std::string(1, kind) + std::to_string(++refs_); }
  // The refs of what only the CLD inputs add, numbered apart so that the others keep theirs.
  std::string new_cld_ref(char kind) { return std::string(1, kind) + std::to_string(++cld_refs_); }

  // An NHS number, unique to the person, with a valid Modulus 11 check digit. All begin with 9,
  // a range England does not issue to patients (NHS England's test numbers are in it).
  std::string nhs_number() {
    for (;;) {
      std::string digits = std::to_string(900'000'000 + nhs_serial_++ % 100'000'000);
      int sum = 0;
      for (int i = 0; i < 9; ++i) sum += (digits[static_cast<std::size_t>(i)] - '0') * (10 - i);
      const int check = (11 - sum % 11) % 11;
      if (check == 10) continue;  // no number has this check digit
      digits += static_cast<char>('0' + check);
      return digits;
    }
  }

  // A person 19 or over when the generated years begin (`older`: 65 or over), and 18 or over on
  // `adult_on` when given. `draws` draws what the generator drew before CLD; `cld_` the rest.
  Person person_from(Draws& draws, std::string ref, bool older, std::optional<Date> adult_on) {
    const bool sixty_five_plus = older || draws.uniform() < 0.6;
    const int age = sixty_five_plus ? draws.between(66, 98) : draws.between(19, 64);
    Date born = first_.start() - date::days{365 * age + draws.between(0, 364)};
    // Whoever's support began before the generated years was an adult when it began: CLD counts
    // a row invalid whose person is under 18 at its start. 6575 days hold 18 years, leap days
    // included.
    if (adult_on) born = std::min(born, *adult_on - date::days{6575});
    const char* team = teams[static_cast<std::size_t>(draws.between(0, 3))];
    const char* client_type = draws.uniform() < 0.12 ? "carer" : "service_user";
    const char* coarse = draws.pick<const char*>({{0.55, "physical_support"},
                                                  {0.1, "memory_and_cognition"},
                                                  {0.15, "learning_disability"},
                                                  {0.12, "mental_health"},
                                                  {0.05, "sensory_support"},
                                                  {0.03, "social_support"}});
    const std::string_view group = coarse;
    const char* reason = group == "physical_support"  ? cld_.pick(physical_reasons)
                         : group == "sensory_support" ? cld_.pick(sensory_reasons)
                         : group == "social_support"  ? cld_.pick(social_reasons)
                                                      : coarse;
    const char* gender = cld_.pick(sixty_five_plus ? Table(genders_65_plus) : Table(genders_18_64));
    Person who{std::move(ref), reason, cld_.pick(ethnicities), cld_.pick(unpaid_carers)};
    line(who.ref, "/v1/people",
         {{"given_name", "Person"},
          {"family_name", who.ref},
          {"date_of_birth", domain::format_date(born)},
          {"team", team},
          {"nhs_number", nhs_number()},
          {"client_type", client_type},
          {"primary_support_reason", who.support_reason},
          {"gender", gender},
          {"ethnicity", who.ethnicity},
          {"has_unpaid_carer", who.unpaid_carer}});
    return who;
  }
  Person person(bool older = false, std::optional<Date> adult_on = std::nullopt) {
    return person_from(main_, new_ref('P'), older, adult_on);
  }

  // A change of the person's details from `on`: a support reason revised (to memory and
  // cognition most often: dementia diagnosed), an ethnicity recorded at last, or an unpaid carer
  // found or gone.
  void change_details(const Person& who, Date on) {
    json::object body{{"effective_on", domain::format_date(on)}};
    const double u = cld_.uniform();
    const std::string_view ethnicity = who.ethnicity;
    if (u < 0.15 && (ethnicity == "not_known" || ethnicity == "refused")) {
      body["ethnicity"] = "white_british";
    } else if (u < 0.55) {
      body["primary_support_reason"] =
          std::string_view(who.support_reason) == "memory_and_cognition" ? "physical_personal_care"
                                                                         : "memory_and_cognition";
    } else {
      body["has_unpaid_carer"] = std::string_view(who.unpaid_carer) == "yes" ? "no" : "yes";
    }
    line("", "/v1/people/@" + who.ref + "/details", std::move(body));
  }

  // Always on the day of the person's last casework, so nothing of theirs starts after it.
  void death(const Person& who, Date died) {
    line("", "/v1/people/@" + who.ref + "/death", {{"died_on", domain::format_date(died)}});
  }

  void request(const std::string& ref, const Person& who, Date received, const char* route) {
    line(ref, "/v1/requests",
         {{"person_id", "@" + who.ref},
          {"received_on", domain::format_date(received)},
          {"route_of_access", route}});
  }
  // The outcome of request `ref`; with an assessment, the line carries the request's ref again,
  // so that "@REF.assessment_id" names the assessment it started.
  void decide(const std::string& ref, Date decided, const char* outcome, json::object order = {}) {
    json::object body{{"decided_on", domain::format_date(decided)}, {"outcome", outcome}};
    const bool assesses = !order.empty();
    if (assesses) body["assessment"] = std::move(order);
    line(assesses ? ref : std::string{}, "/v1/requests/@" + ref + "/outcome", std::move(body));
  }

  void assessment(Date requested) {
    // Most come as a request for support whose outcome starts the assessment on the day it used
    // to be requested directly (so its wait, kind and priority are as they were); the rest are
    // still requested directly, and the CLD export derives a request for each.
    const bool via_request = cld_.uniform() < 0.85;
    const std::string ref = new_ref(via_request ? 'Q' : 'A');
    const Person who = person();
    const char* kind = uniform() < 0.15 ? "carer" : "needs";
    const char* priority =
        pick<const char*>({{0.08, "urgent"}, {0.22, "high"}, {0.45, "medium"}, {0.25, "low"}});
    std::string named = ref;  // the assessment, as later lines name it
    if (via_request) {
      const Date received = requested - date::days{std::min(cld_.exponential_days(1.5), 10)};
      request(ref, who, received, cld_.pick(assessment_routes));
      decide(ref, requested, "progress_to_assessment", {{"kind", kind}, {"priority", priority}});
      named += ".assessment_id";
    } else {
      line(ref, "/v1/assessments",
           {{"person_id", "@" + who.ref},
            {"kind", kind},
            {"requested_on", domain::format_date(requested)},
            {"priority", priority}});
    }
    // Most requests close quickly (withdrawn, declined, duplicate); the rest wait for a full
    // assessment, some for a long time.
    if (uniform() < 0.8) {
      const Date closed = requested + date::days{exponential_days(3)};
      if (!recorded(closed)) return;
      const char* reason = pick<const char*>({{0.45, "withdrawn"},
                                              {0.3, "declined"},
                                              {0.1, "duplicate"},
                                              {0.1, "moved_away"},
                                              {0.05, "deceased"}});
      line("", "/v1/assessments/@" + named + "/closure",
           {{"closed_on", domain::format_date(closed)}, {"reason", reason}});
      if (std::string_view(reason) == "deceased") death(who, closed);
      return;
    }
    const int wait = exponential_days(87);
    if (uniform() < 0.7) {
      const Date allocated = requested + date::days{wait / 3};
      if (recorded(allocated)) {
        line("", "/v1/assessments/@" + named + "/allocation",
             {{"practitioner", "Practitioner " + std::to_string(between(1, 60))},
              {"allocated_on", domain::format_date(allocated)}});
      }
    }
    const Date completed = requested + date::days{wait};
    if (!recorded(completed)) return;
    const bool eligible = uniform() < 0.7;
    line("", "/v1/assessments/@" + named + "/completion",
         {{"completed_on", domain::format_date(completed)},
          {"eligible_needs", eligible},
          {"outcome",
           cld_.pick(eligible ? Table(eligible_outcomes) : Table(not_eligible_outcomes))}});
    if (cld_.uniform() < 0.05) change_details(who, completed);  // learnt at the assessment
  }

  std::string episode(const Person& who, const char* kind, const char* setting, Date started,
                      const char* short_term_type = nullptr, const char* component = nullptr) {
    const char* delivery = std::string_view(setting) == "community"
                               ? pick<const char*>({{0.23, "direct_payment"},
                                                    {0.6, "managed_personal_budget"},
                                                    {0.02, "individual_service_fund"},
                                                    {0.15, "council_arranged"}})
                               : "council_arranged";
    const std::string ref = new_ref('S');
    json::object body{{"person_id", "@" + who.ref},
                      {"kind", kind},
                      {"setting", setting},
                      {"delivery", delivery},
                      {"started_on", domain::format_date(started)}};
    if (short_term_type != nullptr) body["short_term_type"] = short_term_type;
    // CLD defaults every component but long-term community support's without a direct payment.
    if (component == nullptr && std::string_view(kind) == "long_term" &&
        std::string_view(setting) == "community" &&
        std::string_view(delivery) != "direct_payment") {
      component = cld_.pick(community_components);
    }
    if (component != nullptr) body["service_component"] = component;
    line(ref, "/v1/support-episodes", std::move(body));
    return ref;
  }

  // Long-term support from `started` for an exponential time, reviewed in most years; `cohort`
  // for support that began before the generated years.
  void long_term(Date started, int min_days = 0, bool cohort = false) {
    const Person who = cohort ? person(false, started) : person();
    const char* setting =
        pick<const char*>({{0.72, "community"}, {0.18, "residential"}, {0.1, "nursing"}});
    const std::string ref = episode(who, "long_term", setting, started);
    const Date ends = started + date::days{min_days + exponential_days(6 * 365)};
    for (int y = first_.first_year; y <= last_.first_year; ++y) {
      const domain::FinancialYear year{y};
      const Date from = std::max(year.start(), started + date::days{30});
      const Date to = std::min(year.end(), ends - date::days{1});
      if (from > to || uniform() >= 0.62) continue;
      const Date reviewed = from + date::days{between(0, domain::days_between(from, to))};
      const bool planned = uniform() < 0.8;
      json::object body{{"person_id", "@" + who.ref},
                        {"reviewed_on", domain::format_date(reviewed)},
                        {"planned", planned},
                        {"outcome", pick<const char*>({{0.7, "no_change"},
                                                       {0.27, "support_changed"},
                                                       {0.03, "support_ended"}})}};
      if (planned) {
        body["outcomes_achieved"] = cld_.pick(outcomes_met);
      } else {
        body["review_reason"] = cld_.pick(review_reasons);
      }
      line("", "/v1/reviews", std::move(body));
    }
    if (cld_.uniform() < 0.08) {
      const Date from = std::max(first_.start(), started + date::days{30});
      const Date to = std::min(last_.end(), ends - date::days{1});
      if (from <= to) {
        change_details(who, from + date::days{cld_.between(0, domain::days_between(from, to))});
      }
    }
    if (!recorded(ends)) return;
    // Some residents move from residential to nursing care on the day.
    const bool to_nursing = std::string_view(setting) == "residential" && uniform() < 0.1;
    json::object end{{"ended_on", domain::format_date(ends)}};
    const bool died = !to_nursing && cld_.uniform() < death_share(setting);
    const char* reason = to_nursing ? "progress_to_support_planning"
                         : died     ? "nfa_deceased"
                                    : cld_.pick(long_term_ends);
    if (reason != nullptr) end["end_reason"] = reason;
    line("", "/v1/support-episodes/@" + ref + "/end", std::move(end));
    if (died) death(who, ends);
    if (to_nursing) episode(who, "long_term", "nursing", ends);
  }

  // People already in long-term support when the generated years begin.
  void long_term_cohort(long people) {
    for (long n = 0; n < people; ++n) {
      const int before = between(1, 2900);
      long_term(first_.start() - date::days{before}, before, true);
    }
  }

  // Why short-term support ended, as its sequel suggests; now and then not recorded.
  const char* short_term_end_reason(std::string_view sequel) {
    if (sequel == "other") return cld_.pick(short_term_other_ends);
    if (cld_.uniform() < 0.1) return nullptr;
    return sequel == "long_term_support" ? "progress_to_support_planning"
                                         : "service_ended_as_planned";
  }

  void short_term(Date started) {
    const Person who = person();
    const char* type = cld_.pick(short_term_types);
    const bool st_max = std::string_view(type) == "st_max";
    const char* component =
        cld_.pick(st_max ? Table(st_max_components) : Table(other_short_term_components));
    // Each follows a request for support decided on the day it starts.
    const std::string request_ref = new_cld_ref('R');
    const Date received = started - date::days{cld_.between(0, 3)};
    request(request_ref, who, received, cld_.pick(short_term_routes));
    decide(request_ref, started,
           st_max ? "progress_to_reablement" : "progress_to_support_planning");
    const std::string ref = episode(who, "short_term", "community", started, type, component);
    const Date ended = started + date::days{between(14, 42)};
    if (!recorded(ended)) return;
    const char* sequel = pick<const char*>({{0.55, "no_ongoing_support"},
                                            {0.15, "lower_level_support"},
                                            {0.23, "long_term_support"},
                                            {0.07, "other"}});
    json::object end{{"ended_on", domain::format_date(ended)}, {"sequel", sequel}};
    const char* reason = short_term_end_reason(sequel);
    if (reason != nullptr) end["end_reason"] = reason;
    line("", "/v1/support-episodes/@" + ref + "/end", std::move(end));
    if (reason != nullptr && std::string_view(reason) == "nfa_deceased") death(who, ended);
    if (std::string_view(sequel) == "long_term_support" && recorded(ended + date::days{1})) {
      episode(who, "long_term", "community", ended + date::days{1});
    }
  }

  // A request for support that leads to neither an assessment nor a service: information and
  // advice, or no service, most often. Everything drawn from cld_, the person included.
  void request_only(Date received) {
    const Person who = person_from(cld_, new_cld_ref('N'), false, std::nullopt);
    const std::string ref = new_cld_ref('R');
    request(ref, who, received, cld_.pick(assessment_routes));
    const Date decided = received + date::days{cld_.exponential_days(4)};
    if (!recorded(decided)) return;  // still open: no open request is in the file
    const char* outcome = cld_.pick(request_only_outcomes);
    decide(ref, decided, outcome);
    if (std::string_view(outcome) == "nfa_deceased") death(who, decided);
  }

  void concern(Date received) {
    const std::string ref = new_ref('C');
    json::array types{pick<const char*>({{0.3, "neglect"},
                                         {0.18, "physical"},
                                         {0.15, "financial"},
                                         {0.12, "psychological"},
                                         {0.1, "self_neglect"},
                                         {0.06, "domestic"},
                                         {0.05, "organisational"},
                                         {0.04, "sexual"}})};
    line(ref, "/v1/safeguarding/concerns",
         {{"person_id", "@" + person().ref},
          {"received_on", domain::format_date(received)},
          {"source", pick<const char*>({{0.2, "health"},
                                        {0.18, "provider"},
                                        {0.15, "police"},
                                        {0.12, "family"},
                                        {0.1, "hospital"},
                                        {0.1, "practitioner"},
                                        {0.08, "customer_services"},
                                        {0.03, "self"},
                                        {0.04, "other"}})},
          {"abuse_types", std::move(types)},
          {"location", pick<const char*>({{0.6, "own_home"},
                                          {0.25, "care_home"},
                                          {0.05, "hospital"},
                                          {0.07, "community"},
                                          {0.03, "other"}})}});
    const Date decided = received + date::days{exponential_days(4)};
    if (!recorded(decided)) return;
    const double u = uniform();
    const char* outcome = u < 0.17  ? "section_42_enquiry"
                          : u < 0.2 ? "other_enquiry"
                                    : "no_further_action";
    const std::string decision = new_ref('E');
    line(decision, "/v1/safeguarding/concerns/@" + ref + "/decision",
         {{"decided_on", domain::format_date(decided)}, {"outcome", outcome}});
    if (std::string_view(outcome) == "no_further_action") return;
    const Date concluded = decided + date::days{exponential_days(62)};
    if (!recorded(concluded)) return;
    json::object body{{"concluded_on", domain::format_date(concluded)}};
    const char* risk = pick<const char*>({{0.75, "yes"}, {0.15, "no"}, {0.1, "inconclusive"}});
    body["risk_identified"] = risk;
    if (std::string_view(risk) == "yes") {
      body["risk_outcome"] =
          pick<const char*>({{0.4, "removed"}, {0.54, "reduced"}, {0.06, "remains"}});
    }
    const char* asked =
        pick<const char*>({{0.7, "expressed"}, {0.15, "not_expressed"}, {0.15, "not_asked"}});
    body["outcomes_asked"] = asked;
    if (std::string_view(asked) == "expressed") {
      body["outcomes_achieved"] =
          pick<const char*>({{0.65, "fully"}, {0.28, "partially"}, {0.07, "not"}});
    }
    // The enquiry was named in the decision's answer: "@E2.enquiry_id".
    line("", "/v1/safeguarding/enquiries/@" + decision + ".enquiry_id/conclusion", std::move(body));
  }

  void placement(Date started) {
    const std::string ref = new_ref('H');
    const bool disregard = uniform() < 0.45;
    const int weekly = between(700, 1400) * 100;
    const Person who = person(true);
    line(ref, "/v1/care-home-placements",
         {{"person_id", "@" + who.ref},
          {"started_on", domain::format_date(started)},
          {"weekly_cost_pence", weekly},
          {"property_disregard", disregard}});
    if (!disregard) return;
    const double u = uniform();
    if (u < 0.35) {
      const Date arranged = started + date::days{between(30, 150)};
      if (recorded(arranged)) {
        line("", "/v1/care-home-placements/@" + ref + "/self-funding",
             {{"arranged_on", domain::format_date(arranged)}});
      }
      return;
    }
    if (u >= 0.8) return;  // neither: the council goes on paying
    const Date offered = started + date::days{between(20, 60)};
    if (!recorded(offered)) return;
    const std::string dpa = new_ref('D');
    line(dpa, "/v1/deferred-payments",
         {{"placement_id", "@" + ref}, {"offered_on", domain::format_date(offered)}});
    const Date signed_on = offered + date::days{between(7, 35)};
    if (!recorded(signed_on)) return;
    line("", "/v1/deferred-payments/@" + dpa + "/signature",
         {{"signed_on", domain::format_date(signed_on)},
          {"property_value_pence", between(150, 400) * 100000},
          {"prior_charges_pence", uniform() < 0.2 ? between(1, 50) * 100000 : 0},
          {"weekly_deferred_pence", weekly / 2},
          {"interest_rate_basis_points", between(150, 260)}});
    const int fee = between(300, 600) * 100;
    line("", "/v1/deferred-payments/@" + dpa + "/charges",
         {{"charged_on", domain::format_date(signed_on)},
          {"amount_pence", fee},
          {"description", "set-up fee"}});
    const Date ended = signed_on + date::days{exponential_days(900)};
    if (!recorded(ended)) return;
    const char* reason =
        pick<const char*>({{0.6, "deceased"}, {0.3, "property_sold"}, {0.1, "left_care_home"}});
    line("", "/v1/deferred-payments/@" + dpa + "/termination",
         {{"terminated_on", domain::format_date(ended)}, {"reason", reason}});
    if (std::string_view(reason) == "deceased") death(who, ended);
    // Repaid from the sale or the estate: what was deferred and the fee; the interest is
    // often left outstanding for a while.
    const Date repaid = ended + date::days{between(30, 200)};
    const std::int64_t deferred =
        std::int64_t{(domain::days_between(signed_on, ended) - 1) / 7} * (weekly / 2) + fee;
    if (recorded(repaid) && deferred > 0) {
      line("", "/v1/deferred-payments/@" + dpa + "/repayments",
           {{"repaid_on", domain::format_date(repaid)}, {"amount_pence", deferred}});
    }
  }

  Draws main_;
  Draws cld_;
  double scale_;
  domain::FinancialYear first_;
  domain::FinancialYear last_;
  std::ostream& out_;
  std::size_t lines_ = 0;
  long refs_ = 0;
  long cld_refs_ = 0;
  long nhs_serial_ = 0;
};

}  // namespace

std::size_t generate(const GenerateOptions& options, std::ostream& out) {
  return Council(options, out).write();
}

void generate_file(const GenerateOptions& options, const std::string& path, std::ostream& out) {
  std::ofstream file(path);
  if (!file) throw std::runtime_error("cannot write " + path);
  const auto lines = generate(options, file);
  file.close();
  if (!file) throw std::runtime_error("cannot write " + path);
  out << "wrote " << lines << " requests for "
      << domain::FinancialYear{options.last_year.first_year - options.years + 1}.label() << " to "
      << options.last_year.label() << " to " << path << "\n";
}

}  // namespace careledger::tools
