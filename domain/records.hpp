#pragma once
// Each kind of record careledger keeps — an aggregate, one stream of the log per instance — is
// declared here once: its state, its id, its stream prefix and whose casework it is. Streams,
// projections, rebuild, verify and the command runner read these declarations; a kind missing
// from `Records` has no projection and fails the projection tests, and a state without its
// `Record` does not compile where it is used.

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "domain/assessment.hpp"
#include "domain/person.hpp"
#include "domain/placement.hpp"
#include "domain/request.hpp"
#include "domain/safeguarding.hpp"
#include "domain/support.hpp"

namespace careledger::domain {

// Who and which team a record is about.
struct Subject {
  PersonId person_id;
  Team team;
};

template <typename State>
struct Record;  // no definition: only the kinds below are records

template <>
struct Record<PersonState> {
  using Id = PersonId;
  static constexpr std::string_view stream_prefix = "person-";
  static Subject subject(const PersonState& s) { return {s.id, s.team}; }
};
template <>
struct Record<AssessmentState> {
  using Id = AssessmentId;
  static constexpr std::string_view stream_prefix = "assessment-";
  static Subject subject(const AssessmentState& s) { return {s.person_id, s.team}; }
};
template <>
struct Record<SupportEpisodeState> {
  using Id = SupportEpisodeId;
  static constexpr std::string_view stream_prefix = "support-";
  static Subject subject(const SupportEpisodeState& s) { return {s.person_id, s.team}; }
};
template <>
struct Record<ReviewState> {
  using Id = ReviewId;
  static constexpr std::string_view stream_prefix = "review-";
  static Subject subject(const ReviewState& s) { return {s.person_id, s.team}; }
};
// A safeguarding concern and the enquiry it may start are one stream.
template <>
struct Record<ConcernState> {
  using Id = ConcernId;
  static constexpr std::string_view stream_prefix = "concern-";
  static Subject subject(const ConcernState& s) { return {s.person_id, s.team}; }
};
// A care-home placement and its deferred payment agreements are one stream.
template <>
struct Record<PlacementState> {
  using Id = PlacementId;
  static constexpr std::string_view stream_prefix = "placement-";
  static Subject subject(const PlacementState& s) { return {s.person_id, s.team}; }
};

// A request for support, and its outcome.
template <>
struct Record<RequestState> {
  using Id = RequestId;
  static constexpr std::string_view stream_prefix = "request-";
  static Subject subject(const RequestState& s) { return {s.person_id, s.team}; }
};

template <typename... States>
struct RecordList {
  // Calls f(std::type_identity<State>{}) for each kind, in order.
  template <typename F>
  static void for_each(F&& f) {
    (f(std::type_identity<States>{}), ...);
  }
};
// Every kind of record, in the order rebuild and verify visit their tables.
using Records = RecordList<PersonState, AssessmentState, SupportEpisodeState, ReviewState,
                           ConcernState, PlacementState, RequestState>;

namespace detail {
template <typename IdType, typename... States>
struct StateOf;
template <typename IdType, typename First, typename... Rest>
struct StateOf<IdType, First, Rest...> {
  using type = std::conditional_t<std::is_same_v<typename Record<First>::Id, IdType>, First,
                                  typename StateOf<IdType, Rest...>::type>;
};
template <typename IdType>
struct StateOf<IdType> {
  using type = void;
};
template <typename IdType, typename List>
struct StateOfList;
template <typename IdType, typename... States>
struct StateOfList<IdType, RecordList<States...>> : StateOf<IdType, States...> {};
}  // namespace detail

// The kind of record an id names: StateOf<AssessmentId> is AssessmentState.
template <typename IdType>
using StateOf = typename detail::StateOfList<IdType, Records>::type;

template <typename State>
Subject subject_of(const State& state) {
  return Record<State>::subject(state);
}

// The stream of the record an id names: "assessment-" + id.
template <typename Tag>
std::string stream_name(const Id<Tag>& id) {
  using State = StateOf<Id<Tag>>;
  static_assert(!std::is_void_v<State>, "not the id of a kind of record");
  return std::string(Record<State>::stream_prefix) + id.str();
}

// The id part of a stream of this kind, if it is one.
template <typename State>
std::optional<typename Record<State>::Id> stream_subject(std::string_view stream) {
  constexpr auto prefix = Record<State>::stream_prefix;
  if (!stream.starts_with(prefix)) return std::nullopt;
  return typename Record<State>::Id{std::string(stream.substr(prefix.size()))};
}

}  // namespace careledger::domain
