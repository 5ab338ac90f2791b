#pragma once
// Resources as the API shows them (API.md), and problem+json.

#include <boost/json/value.hpp>

#include "api/http.hpp"
#include "domain/assessment.hpp"
#include "domain/deferred_payments.hpp"
#include "domain/measure.hpp"
#include "domain/person.hpp"
#include "domain/placement.hpp"
#include "domain/safeguarding.hpp"
#include "domain/safeguarding_measures.hpp"
#include "domain/support.hpp"
#include "domain/support_measures.hpp"
#include "persistence/event_store.hpp"
#include "persistence/read_models.hpp"
#include "services/failure.hpp"

namespace careledger::api {

// The team a figure or list is for, or null for all the caller may see.
boost::json::value team_json(const std::optional<domain::Team>& team);
// A list's next cursor, or null on its last page.
boost::json::value next_cursor_json(const std::optional<std::int64_t>& next);
boost::json::value next_cursor_json(const std::optional<std::size_t>& next_offset);

// A number, or null; whole numbers are written as integers (12, not 1.2E1).
boost::json::value number_json(const std::optional<double>& number);
boost::json::value person_json(const domain::PersonState& person);
boost::json::value assessment_json(const domain::AssessmentState& assessment);
boost::json::value history_item_json(const persistence::EventRecord& record);
boost::json::value waiting_item_json(const persistence::WaitingItem& item, domain::Date as_at);
boost::json::value measure_json(const domain::Measure& measure);
boost::json::value support_episode_json(const domain::SupportEpisodeState& episode);
boost::json::value review_json(const domain::ReviewState& review);
boost::json::value overdue_item_json(const domain::OverdueReview& item);
boost::json::value concern_json(const domain::ConcernState& concern);
// The enquiry the concern started (the concern must have one).
boost::json::value enquiry_json(const domain::ConcernState& concern);
boost::json::value open_item_json(const domain::OpenItem& item);
boost::json::value placement_json(const domain::PlacementState& placement);
// The agreement as at `as_at`: status, balance and equity limit on that day.
boost::json::value agreement_json(const domain::PlacementState& placement,
                                  const domain::AgreementState& agreement,
                                  const domain::Configuration& config, domain::Date as_at);
boost::json::value attention_json(const domain::Attention& attention, domain::Date as_at,
                                  int horizon_days);

// A JSON response; with an ETag when `version` is given.
Response json_response(int status, const boost::json::value& body,
                       std::optional<domain::Version> version = std::nullopt);

// The one mapping from a refusal to an HTTP status and problem+json body.
Response problem_response(const services::Failure& failure);
Response problem_response(int status, std::string detail,
                          const std::vector<domain::FieldError>& errors = {});

}  // namespace careledger::api
