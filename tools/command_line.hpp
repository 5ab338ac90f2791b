#pragma once
// How a command reads its arguments (Boost.Program_options): each command declares its options
// once, and parsing, --help and the usage line all read that declaration. Option values have
// types that refuse a bad token in one line naming the option ("--port: not a number").
// A CommandLine is built, parsed and dropped on one thread; not shared between threads.

#include <charconv>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/program_options.hpp>

#include "domain/codes.hpp"
#include "domain/reports.hpp"

namespace careledger::tools {

// ------------------------------------------------------------------ typed option values
// Program_options reads each type below through the validate() overload next to it, found by
// argument-dependent lookup.

enum class Reading { number, not_a_number, out_of_range };

namespace detail {

// The whole token must be the number: "80x" and "" are not numbers.
template <typename Wide, typename T>
Reading read_as(std::string_view token, T low, T high, T& out) {
  Wide wide{};
  const char* last = token.data() + token.size();
  const auto [end, ec] = std::from_chars(token.data(), last, wide);
  if (ec == std::errc::invalid_argument || end != last) return Reading::not_a_number;
  if (ec == std::errc::result_out_of_range) return Reading::out_of_range;
  if constexpr (std::is_integral_v<T>) {
    if (!std::in_range<T>(wide)) return Reading::out_of_range;
  }
  const T value = static_cast<T>(wide);
  if (!(value >= low && value <= high)) return Reading::out_of_range;  // NaN too
  out = value;
  return Reading::number;
}

std::string decimal_text(double value);  // as short as it reads: 0.001, 1000

template <typename T>
std::string number_text(T value) {
  if constexpr (std::is_integral_v<T>) {
    return std::to_string(value);
  } else {
    return decimal_text(static_cast<double>(value));
  }
}

}  // namespace detail

// Reads a decimal number from low to high inclusive into `out` (untouched unless it is one).
template <typename T>
Reading read_number(std::string_view token, T low, T high, T& out) {
  if constexpr (std::is_floating_point_v<T>) {
    return detail::read_as<double>(token, low, high, out);
  } else if (token.starts_with('-')) {
    return detail::read_as<long long>(token, low, high, out);  // "-1" for a port: out of range
  } else {
    return detail::read_as<unsigned long long>(token, low, high, out);
  }
}

// A number an option accepts, from Bounds::low to Bounds::high inclusive: Between<0, 65535>
// for whole numbers; a struct of two static constexpr members for fractions (not every
// compiler takes a double as a template argument yet).
template <auto Low, auto High>
struct Between {
  static constexpr auto low = Low;
  static constexpr auto high = High;
};

template <typename T, typename Bounds>
struct InRange {
  T value{};
};

template <typename T, typename Bounds>
void validate(boost::any& out, const std::vector<std::string>& tokens, InRange<T, Bounds>*, int) {
  namespace po = boost::program_options;
  constexpr T low = Bounds::low;
  constexpr T high = Bounds::high;
  po::validators::check_first_occurrence(out);
  InRange<T, Bounds> number;
  switch (read_number(po::validators::get_single_string(tokens), low, high, number.value)) {
    case Reading::number:
      out = number;
      return;
    case Reading::not_a_number:
      throw po::error_with_option_name("%canonical_option%: not a number");
    case Reading::out_of_range:
      throw po::error_with_option_name("%canonical_option%: out of range " +
                                       detail::number_text(low) + "-" + detail::number_text(high));
  }
}

// One of the roles (domain::Role) by its code.
struct RoleOption {
  domain::Role value = domain::Role::practitioner;
};
void validate(boost::any& out, const std::vector<std::string>& tokens, RoleOption*, int);

// A financial year by its label, like 2023-24.
struct FinancialYearOption {
  domain::FinancialYear value;
};
void validate(boost::any& out, const std::vector<std::string>& tokens, FinancialYearOption*, int);

// A file's path. An empty one is refused ("--tls-cert: an empty path"), as a script's unset
// variable gives: for an option whose absence changes what the command does, it would otherwise
// pass for not given.
struct PathOption {
  std::string value;
};
void validate(boost::any& out, const std::vector<std::string>& tokens, PathOption*, int);

// ------------------------------------------------------------------ one command's arguments

class CommandLine {
 public:
  // `name` as typed after careledger ("users add"); `about` a paragraph for --help.
  CommandLine(std::string name, std::string about);

  // An option whose value goes into a variable: po::value(&variable)->value_name("FILE"), with
  // ->required() or ->composing() (may be repeated) as needed. Takes ownership of `value`, as
  // options_description does.
  void option(const char* name, const boost::program_options::value_semantic* value,
              const char* about);

  // Two options (names as declared, without a default value) given both or neither; one alone
  // is refused naming the other ("--tls-cert needs --tls-key").
  void together(std::string first, std::string second);

  // A required argument without an option name (import's INPUT), in declaration order.
  void operand(std::string name, std::string* value, std::string about);

  // Parses args into the declared variables. nullopt to go on; otherwise the exit status once
  // the help (0, on `out`) or a one-line refusal (2, on `errors`) has been printed.
  std::optional<int> parse(const std::vector<std::string>& args, std::ostream& out,
                           std::ostream& errors);

  // The usage line, `about` and every option with its description.
  std::string help() const;

 private:
  struct Operand {
    std::string name;
    std::string* value;
    std::string about;
  };
  void read(const std::vector<std::string>& args);

  std::string name_;
  std::string about_;
  boost::program_options::options_description options_;
  std::vector<Operand> operands_;
  std::vector<std::pair<std::string, std::string>> together_;
};

}  // namespace careledger::tools
