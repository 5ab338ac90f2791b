#pragma once
// Resources as the API shows them (API.md), and problem+json.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "api/http.hpp"
#include "api/problem.hpp"
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
#include "services/care_homes.hpp"
#include "services/failure.hpp"
#include "services/queries.hpp"

namespace careledger::api {

// The team a figure or list is for, or null for all the caller may see.
boost::json::value team_json(const std::optional<domain::Team>& team);
// Whose figures these are: "team", "teams", "council_wide", and "known_at" when asked.
void add_scope(boost::json::object& body, const services::FigureScope& scope,
               const std::optional<std::string>& known_at);
// A list's next cursor, or null on its last page.
boost::json::value next_cursor_json(const std::optional<std::int64_t>& next);
boost::json::value next_cursor_json(const std::optional<std::size_t>& next_offset);

// A number, or null; whole numbers are written as integers (12, not 1.2E1).
boost::json::value number_json(const std::optional<double>& number);
boost::json::value person_json(const domain::PersonState& person);
boost::json::value assessment_json(const domain::AssessmentState& assessment);
boost::json::value history_item_json(const persistence::EventRecord& record);
// List items carry the person's name and age (null if not found) beside their id.
boost::json::object waiting_item_json(const persistence::WaitingItem& item, domain::Date as_at,
                                      const services::People& people);
boost::json::value measure_json(const domain::Measure& measure);
boost::json::value support_episode_json(const domain::SupportEpisodeState& episode);
boost::json::value review_json(const domain::ReviewState& review);
boost::json::object overdue_item_json(const domain::OverdueReview& item,
                                      const services::People& people);
boost::json::value concern_json(const domain::ConcernState& concern);
// The enquiry the concern started (the concern must have one).
boost::json::value enquiry_json(const domain::ConcernState& concern);
boost::json::object open_item_json(const domain::OpenItem& item, const services::People& people);
boost::json::value placement_json(const domain::PlacementState& placement);
// The agreement as at its view's day: status, balance and equity limit on that day.
boost::json::value agreement_json(const services::AgreementView& view);
boost::json::value attention_json(const services::CareHomes::AttentionView& view);

// The shortest plain decimal that reads back as the same value: 12, 48.61145244531826, 0.0001.
std::string number_text(double value);
// JSON text with every number in plain decimal (never an exponent).
std::string json_text(const boost::json::value& value);

// A JSON response; with an ETag when `version` is given.
Response json_response(int status, const boost::json::value& body,
                       std::optional<domain::Version> version = std::nullopt);


}  // namespace careledger::api
