#pragma once
// Domain events to and from the JSON `data` column of the event store.

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "domain/events.hpp"

namespace careledger::persistence {

std::string encode_event(const domain::Event& event);
boost::json::value event_data(const domain::Event& event);

// Throws std::invalid_argument for an unknown type or malformed data.
domain::Event decode_event(std::string_view type, std::string_view data);

}  // namespace careledger::persistence
