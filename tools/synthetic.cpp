#include "tools/synthetic.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <ostream>
#include <random>
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

// The casework of one synthetic council, written as API requests.
class Council {
 public:
  Council(const GenerateOptions& options, std::ostream& out)
      : rng_(options.seed),
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
    }
    return lines_;
  }

 private:
  long count(double per_year) { return std::lround(per_year * scale_); }
  double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }
  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  int exponential_days(double mean) {
    return static_cast<int>(std::exponential_distribution<double>(1.0 / mean)(rng_));
  }
  Date day_in(const domain::FinancialYear& year) {
    return year.start() + date::days{between(0, domain::days_between(year.start(), year.end()))};
  }
  bool recorded(Date day) const { return day <= last_.end(); }
  template <typename T>
  const T& pick(const std::vector<std::pair<double, T>>& weighted) {
    double u = uniform();
    for (const auto& [weight, value] : weighted) {
      if (u < weight) return value;
      u -= weight;
    }
    return weighted.back().second;
  }

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

  // A person 19 or over when the generated years begin; `older` for 65+ on the whole.
  std::string person(bool older = false) {
    const bool sixty_five_plus = older || uniform() < 0.6;
    const int age = sixty_five_plus ? between(66, 98) : between(19, 64);
    const Date born = first_.start() - date::days{365 * age + between(0, 364)};
    const std::string ref = new_ref('P');
    line(ref, "/v1/people",
         {{"given_name", "Person"},
          {"family_name", ref},
          {"date_of_birth", domain::format_date(born)},
          {"team", teams[static_cast<std::size_t>(between(0, 3))]},
          {"client_type", uniform() < 0.12 ? "carer" : "service_user"},
          {"primary_support_reason", pick<const char*>({{0.55, "physical_support"},
                                                        {0.1, "memory_and_cognition"},
                                                        {0.15, "learning_disability"},
                                                        {0.12, "mental_health"},
                                                        {0.05, "sensory_support"},
                                                        {0.03, "social_support"}})}});
    return ref;
  }

  void assessment(Date requested) {
    const std::string ref = new_ref('A');
    line(ref, "/v1/assessments",
         {{"person_id", "@" + person()},
          {"kind", uniform() < 0.15 ? "carer" : "needs"},
          {"requested_on", domain::format_date(requested)},
          {"priority", pick<const char*>(
                           {{0.08, "urgent"}, {0.22, "high"}, {0.45, "medium"}, {0.25, "low"}})}});
    // Most requests close quickly (withdrawn, declined, duplicate); the rest wait for a full
    // assessment, some for a long time.
    if (uniform() < 0.8) {
      const Date closed = requested + date::days{exponential_days(3)};
      if (!recorded(closed)) return;
      line("", "/v1/assessments/@" + ref + "/closure",
           {{"closed_on", domain::format_date(closed)},
            {"reason", pick<const char*>({{0.45, "withdrawn"},
                                          {0.3, "declined"},
                                          {0.1, "duplicate"},
                                          {0.1, "moved_away"},
                                          {0.05, "deceased"}})}});
      return;
    }
    const int wait = exponential_days(87);
    if (uniform() < 0.7) {
      const Date allocated = requested + date::days{wait / 3};
      if (recorded(allocated)) {
        line("", "/v1/assessments/@" + ref + "/allocation",
             {{"practitioner", "Practitioner " + std::to_string(between(1, 60))},
              {"allocated_on", domain::format_date(allocated)}});
      }
    }
    const Date completed = requested + date::days{wait};
    if (!recorded(completed)) return;
    line("", "/v1/assessments/@" + ref + "/completion",
         {{"completed_on", domain::format_date(completed)}, {"eligible_needs", uniform() < 0.7}});
  }

  std::string episode(const std::string& person_ref, const char* kind, const char* setting,
                      Date started) {
    const char* delivery = std::string_view(setting) == "community"
                               ? pick<const char*>({{0.23, "direct_payment"},
                                                    {0.6, "managed_personal_budget"},
                                                    {0.02, "individual_service_fund"},
                                                    {0.15, "council_arranged"}})
                               : "council_arranged";
    const std::string ref = new_ref('S');
    line(ref, "/v1/support-episodes",
         {{"person_id", "@" + person_ref},
          {"kind", kind},
          {"setting", setting},
          {"delivery", delivery},
          {"started_on", domain::format_date(started)}});
    return ref;
  }

  // Long-term support from `started` for an exponential time, reviewed in most years.
  void long_term(Date started, int min_days = 0) {
    const std::string who = person();
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
      line("", "/v1/reviews",
           {{"person_id", "@" + who},
            {"reviewed_on", domain::format_date(reviewed)},
            {"planned", uniform() < 0.8},
            {"outcome",
             pick<const char*>(
                 {{0.7, "no_change"}, {0.27, "support_changed"}, {0.03, "support_ended"}})}});
    }
    if (recorded(ends)) {
      line("", "/v1/support-episodes/@" + ref + "/end", {{"ended_on", domain::format_date(ends)}});
      // Some residents move from residential to nursing care on the day.
      if (std::string_view(setting) == "residential" && uniform() < 0.1) {
        episode(who, "long_term", "nursing", ends);
      }
    }
  }

  // People already in long-term support when the generated years begin.
  void long_term_cohort(long people) {
    for (long n = 0; n < people; ++n) {
      const int before = between(1, 2900);
      long_term(first_.start() - date::days{before}, before);
    }
  }

  void short_term(Date started) {
    const std::string who = person();
    const std::string ref = episode(who, "short_term", "community", started);
    const Date ended = started + date::days{between(14, 42)};
    if (!recorded(ended)) return;
    const char* sequel = pick<const char*>({{0.55, "no_ongoing_support"},
                                            {0.15, "lower_level_support"},
                                            {0.23, "long_term_support"},
                                            {0.07, "other"}});
    line("", "/v1/support-episodes/@" + ref + "/end",
         {{"ended_on", domain::format_date(ended)}, {"sequel", sequel}});
    if (std::string_view(sequel) == "long_term_support" && recorded(ended + date::days{1})) {
      episode(who, "long_term", "community", ended + date::days{1});
    }
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
         {{"person_id", "@" + person()},
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
    line(ref, "/v1/care-home-placements",
         {{"person_id", "@" + person(true)},
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
    line("", "/v1/deferred-payments/@" + dpa + "/termination",
         {{"terminated_on", domain::format_date(ended)},
          {"reason", pick<const char*>(
                         {{0.6, "deceased"}, {0.3, "property_sold"}, {0.1, "left_care_home"}})}});
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

  std::mt19937_64 rng_;
  double scale_;
  domain::FinancialYear first_;
  domain::FinancialYear last_;
  std::ostream& out_;
  std::size_t lines_ = 0;
  long refs_ = 0;
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
