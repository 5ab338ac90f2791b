#include "domain/request_measures.hpp"

#include "domain/support.hpp"

namespace careledger::domain {

std::vector<RequestRow> request_rows(ClientType client_type,
                                     const std::vector<RequestState>& requests,
                                     const std::vector<AssessmentState>& assessments) {
  const bool carer_person = client_type == ClientType::carer;
  auto carer_assessment = [&](const std::optional<AssessmentId>& id) {
    if (!id) return false;
    for (const auto& a : assessments) {
      if (a.id == *id) return a.kind == AssessmentKind::carer;
    }
    return false;
  };
  std::vector<RequestRow> rows;
  for (const auto& r : requests) {
    if (!r.decided_on || !r.outcome) continue;
    rows.push_back({*r.decided_on, r.received_on, r.route_of_access, false,
                    !carer_person && !carer_assessment(r.assessment_id)});
  }
  for (const auto& a : assessments) {
    if (a.request_id) continue;
    rows.push_back({a.requested_on, a.requested_on, RouteOfAccess::community_other, true,
                    !carer_person && a.kind != AssessmentKind::carer});
  }
  return rows;
}

bool is_new_client(const RequestRow& row, const std::vector<EpisodeFact>& long_term) {
  return row.service_user && !in_long_term_support_on(long_term, row.start);
}

std::optional<Setting> long_term_setting_on(const std::vector<EpisodeFact>& long_term, Date day) {
  std::optional<Setting> highest;
  auto rank = [](Setting s) {
    switch (s) {
      case Setting::community:
        return 0;
      case Setting::residential:
        return 1;
      case Setting::nursing:
        return 2;
    }
    return 0;
  };
  for (const auto& e : long_term) {
    if (e.kind != SupportKind::long_term || !in_support_on(e.started_on, e.ended_on, day)) continue;
    if (!highest || rank(e.setting) > rank(*highest)) highest = e.setting;
  }
  return highest;
}

RequestFigures request_figures(const std::vector<PersonRequests>& people, Date from, Date to) {
  RequestFigures f;
  for (const auto& person : people) {
    for (const auto& row : person.rows) {
      if (row.counted_on < from || row.counted_on > to) continue;
      ++f.completed;
      if (row.derived) ++f.derived;
      if (is_new_client(row, person.long_term)) {
        ++f.new_clients;
        ++f.new_clients_by_route[row.route];
      }
    }
  }
  return f;
}

LongTermClients long_term_clients_on(const std::vector<PersonRequests>& people, Date day) {
  LongTermClients c;
  for (const auto& person : people) {
    const auto setting = long_term_setting_on(person.long_term, day);
    const int age = age_on(person.date_of_birth, day);
    if (!setting || age < adult_age) continue;
    ++(age >= older_age ? c.age_65_plus : c.age_18_64);
    ++(*setting == Setting::nursing       ? c.nursing
       : *setting == Setting::residential ? c.residential
                                          : c.community);
  }
  return c;
}

std::vector<Measure> request_measures(const RequestFigures& figures,
                                      const LongTermClients& clients) {
  std::vector<Measure> out{
      count_measure("requests.completed", figures.completed),
      count_measure("requests.completed.derived", figures.derived),
      count_measure("requests.new_clients", figures.new_clients),
  };
  for (const auto& [route, name] : CodeTable<RouteOfAccess>::entries) {
    const auto found = figures.new_clients_by_route.find(route);
    out.push_back(count_measure("requests.new_clients." + std::string(name),
                                found == figures.new_clients_by_route.end() ? 0 : found->second));
  }
  for (auto [id, n] : {std::pair{"", clients.total()},
                       {".age_18_64", clients.age_18_64},
                       {".age_65_plus", clients.age_65_plus},
                       {".nursing", clients.nursing},
                       {".residential", clients.residential},
                       {".community", clients.community}}) {
    out.push_back(count_measure("support.long_term_clients" + std::string(id), n, Unit::people));
  }
  return out;
}

}  // namespace careledger::domain
