#pragma once
// Strong types: an id or a version is not a string or an integer, and only the operations
// that mean something are defined on it.

#include <compare>
#include <cstdint>
#include <string>
#include <utility>

namespace careledger::domain {

// An opaque identifier of one kind of thing; ids of different kinds do not mix.
template <typename Tag>
class Id {
 public:
  Id() = default;
  explicit Id(std::string value) : value_(std::move(value)) {}
  const std::string& str() const { return value_; }
  bool empty() const { return value_.empty(); }
  friend auto operator<=>(const Id&, const Id&) = default;

 private:
  std::string value_;
};

using PersonId = Id<struct PersonTag>;
using AssessmentId = Id<struct AssessmentTag>;
using RequestId = Id<struct RequestTag>;
using SupportEpisodeId = Id<struct SupportEpisodeTag>;
using ReviewId = Id<struct ReviewTag>;
using ConcernId = Id<struct ConcernTag>;
using EnquiryId = Id<struct EnquiryTag>;
using PlacementId = Id<struct PlacementTag>;
using AgreementId = Id<struct AgreementTag>;
using Team = Id<struct TeamTag>;
using UserName = Id<struct UserNameTag>;

// The number of events in a stream; a stream that does not exist has version 0.
class Version {
 public:
  constexpr Version() = default;
  constexpr explicit Version(std::int64_t value) : value_(value) {}
  constexpr std::int64_t value() const { return value_; }
  constexpr Version next() const { return Version{value_ + 1}; }
  friend constexpr auto operator<=>(const Version&, const Version&) = default;

 private:
  std::int64_t value_ = 0;
};

}  // namespace careledger::domain
