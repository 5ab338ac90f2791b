#pragma once
// The figures Client Level Data adds (CLD.md §8 "New measures"): requests completed, new
// clients among them, and the adults in long-term support by age and setting.

#include <map>
#include <vector>

#include "domain/assessment.hpp"
#include "domain/measure.hpp"
#include "domain/request.hpp"
#include "domain/support_measures.hpp"

namespace careledger::domain {

// One request row of the CLD file (CLD.md §4): a decided request, or the request derived from
// an assessment made without one.
struct RequestRow {
  Date counted_on;  // the day that puts it in a period: decided, or (derived) requested
  Date start;       // received (derived: requested)
  RouteOfAccess route = RouteOfAccess::community_other;
  bool derived = false;
  bool service_user = true;  // its Client_Type: not a carer's, nor of a person recorded as one
};

// A person's request rows, from their client type, requests and assessments (any order).
std::vector<RequestRow> request_rows(ClientType client_type,
                                     const std::vector<RequestState>& requests,
                                     const std::vector<AssessmentState>& assessments);

// A new client (requests.new_clients): a Service User row whose person was not in long-term
// support on its start.
bool is_new_client(const RequestRow& row, const std::vector<EpisodeFact>& long_term);

struct RequestFigures {
  long long completed = 0;
  long long derived = 0;
  long long new_clients = 0;
  std::map<RouteOfAccess, long long> new_clients_by_route;
};

// People 18 or over in long-term support on a day, by age band and by the highest setting of
// their open episodes (nursing, then residential, then community).
struct LongTermClients {
  long long age_18_64 = 0;
  long long age_65_plus = 0;
  long long community = 0;
  long long residential = 0;
  long long nursing = 0;
  long long total() const { return age_18_64 + age_65_plus; }
};
// The setting a person counts in on `day` (their open long-term episodes'), if any.
std::optional<Setting> long_term_setting_on(const std::vector<EpisodeFact>& long_term, Date day);

// The reference the running totals are tested against: the figures of [from, to] (as at `to`
// for the long-term clients) worked out plainly from each person's records.
struct PersonRequests {
  Date date_of_birth;
  std::vector<RequestRow> rows;
  std::vector<EpisodeFact> long_term;
};
RequestFigures request_figures(const std::vector<PersonRequests>& people, Date from, Date to);
LongTermClients long_term_clients_on(const std::vector<PersonRequests>& people, Date day);

// `requests.completed` (with `.derived`), `requests.new_clients` (with one part per route), and
// `support.long_term_clients` (with `.age_18_64`, `.age_65_plus`, `.nursing`, `.residential`,
// `.community`).
std::vector<Measure> request_measures(const RequestFigures& figures,
                                      const LongTermClients& clients);

}  // namespace careledger::domain
