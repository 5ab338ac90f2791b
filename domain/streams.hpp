#pragma once
// Each aggregate instance is one stream of the event log, named by kind and id.

#include <optional>
#include <string>
#include <string_view>

#include "domain/strong.hpp"

namespace careledger::domain {

inline constexpr std::string_view person_stream_prefix = "person-";
inline constexpr std::string_view assessment_stream_prefix = "assessment-";
inline constexpr std::string_view support_stream_prefix = "support-";
inline constexpr std::string_view review_stream_prefix = "review-";
inline constexpr std::string_view concern_stream_prefix = "concern-";
inline constexpr std::string_view placement_stream_prefix = "placement-";

inline std::string person_stream(const PersonId& id) {
  return std::string(person_stream_prefix) + id.str();
}
inline std::string assessment_stream(const AssessmentId& id) {
  return std::string(assessment_stream_prefix) + id.str();
}

inline std::string support_stream(const SupportEpisodeId& id) {
  return std::string(support_stream_prefix) + id.str();
}
inline std::string review_stream(const ReviewId& id) {
  return std::string(review_stream_prefix) + id.str();
}

// A safeguarding concern and the enquiry it may start are one stream.
inline std::string concern_stream(const ConcernId& id) {
  return std::string(concern_stream_prefix) + id.str();
}

// A care-home placement and its deferred payment agreements are one stream.
inline std::string placement_stream(const PlacementId& id) {
  return std::string(placement_stream_prefix) + id.str();
}

// The id part of a stream name of the given kind, if it is one.
inline std::optional<std::string> stream_subject(std::string_view stream, std::string_view prefix) {
  if (!stream.starts_with(prefix)) return std::nullopt;
  return std::string(stream.substr(prefix.size()));
}

}  // namespace careledger::domain
