#pragma once
// Money is integer pence. Pence add and subtract; they scale by a count; they never meet a
// floating-point number.

#include <compare>
#include <cstdint>
#include <limits>

namespace careledger::domain {

// A 128-bit integer, for working with money that must not overflow (GCC's and Clang's own type).
__extension__ typedef __int128 Wide;

// The most an amount in a request may be, and the most a write may leave a balance at on its
// own date: ten billion pounds (API.md Bounds).
inline constexpr std::int64_t max_pence = 1'000'000'000'000;

// Checked arithmetic: a result beyond what 64 bits hold is pinned at the nearest limit rather
// than wrapped (bounded input keeps every real figure far inside them).
class Pence {
 public:
  constexpr Pence() = default;
  constexpr explicit Pence(std::int64_t value) : value_(value) {}
  constexpr std::int64_t value() const { return value_; }

  friend constexpr Pence operator+(Pence a, Pence b) {
    std::int64_t out = 0;
    if (__builtin_add_overflow(a.value_, b.value_, &out)) return limit(b.value_ > 0);
    return Pence{out};
  }
  friend constexpr Pence operator-(Pence a, Pence b) {
    std::int64_t out = 0;
    if (__builtin_sub_overflow(a.value_, b.value_, &out)) return limit(b.value_ < 0);
    return Pence{out};
  }
  friend constexpr Pence operator*(Pence a, std::int64_t n) {
    std::int64_t out = 0;
    if (__builtin_mul_overflow(a.value_, n, &out)) return limit((a.value_ < 0) == (n < 0));
    return Pence{out};
  }
  constexpr Pence& operator+=(Pence other) { return *this = *this + other; }
  constexpr Pence& operator-=(Pence other) { return *this = *this - other; }
  friend constexpr auto operator<=>(Pence, Pence) = default;

 private:
  static constexpr Pence limit(bool above) {
    return Pence{above ? std::numeric_limits<std::int64_t>::max()
                       : std::numeric_limits<std::int64_t>::min()};
  }
  std::int64_t value_ = 0;
};

// n / d rounded half up, for n >= 0 and d > 0.
constexpr std::int64_t divide_round_half_up(std::int64_t n, std::int64_t d) {
  return (n + d / 2) / d;
}

}  // namespace careledger::domain
