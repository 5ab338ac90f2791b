#pragma once
// Money is integer pence. Pence add and subtract; they scale by a count; they never meet a
// floating-point number.

#include <compare>
#include <cstdint>

namespace careledger::domain {

class Pence {
 public:
  constexpr Pence() = default;
  constexpr explicit Pence(std::int64_t value) : value_(value) {}
  constexpr std::int64_t value() const { return value_; }

  friend constexpr Pence operator+(Pence a, Pence b) { return Pence{a.value_ + b.value_}; }
  friend constexpr Pence operator-(Pence a, Pence b) { return Pence{a.value_ - b.value_}; }
  friend constexpr Pence operator*(Pence a, std::int64_t n) { return Pence{a.value_ * n}; }
  constexpr Pence& operator+=(Pence other) {
    value_ += other.value_;
    return *this;
  }
  constexpr Pence& operator-=(Pence other) {
    value_ -= other.value_;
    return *this;
  }
  friend constexpr auto operator<=>(Pence, Pence) = default;

 private:
  std::int64_t value_ = 0;
};

// n / d rounded half up, for n >= 0 and d > 0.
constexpr std::int64_t divide_round_half_up(std::int64_t n, std::int64_t d) {
  return (n + d / 2) / d;
}

}  // namespace careledger::domain
