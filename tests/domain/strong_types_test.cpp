// Strong types allow only what means something: these are the "compile-fail" checks, stated as
// static assertions so that a change that loosens a type stops the build.
#include "domain/strong.hpp"

#include <concepts>
#include <string>
#include <type_traits>

#include <gtest/gtest.h>

#include "domain/calendar.hpp"

namespace careledger::domain {
namespace {

template <typename A, typename B>
concept Addable = requires(A a, B b) {
  a + b;
};
template <typename A, typename B>
concept Comparable = requires(A a, B b) {
  a == b;
};

// Ids of different kinds never mix, and a bare string is not an id.
static_assert(!std::is_convertible_v<PersonId, AssessmentId>);
static_assert(!std::is_convertible_v<std::string, PersonId>);
static_assert(!Comparable<PersonId, AssessmentId>);
static_assert(!std::is_convertible_v<Team, PersonId>);
// Versions are not integers: no arithmetic, no implicit conversion either way.
static_assert(!std::is_convertible_v<int, Version>);
static_assert(!std::is_convertible_v<Version, long>);
static_assert(!Addable<Version, Version>);
static_assert(!Addable<Version, int>);
// Dates: a date and a number of days make a date; two dates do not add.
static_assert(Addable<Date, date::days>);
static_assert(!Addable<Date, Date>);

TEST(StrongTypes, VersionsCountUpFromZero) {
  EXPECT_EQ(Version{}.next(), Version{1});
  EXPECT_LT(Version{1}, Version{2});
}

TEST(StrongTypes, IdsCompareByValue) {
  EXPECT_EQ(PersonId{"per_1"}, PersonId{"per_1"});
  EXPECT_NE(PersonId{"per_1"}, PersonId{"per_2"});
}

}  // namespace
}  // namespace careledger::domain
