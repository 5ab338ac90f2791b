#include "tools/command_line.hpp"

#include <algorithm>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <tuple>

namespace careledger::tools {

namespace po = boost::program_options;

namespace detail {

std::string decimal_text(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

}  // namespace detail

void validate(boost::any& out, const std::vector<std::string>& tokens, RoleOption*, int) {
  po::validators::check_first_occurrence(out);
  auto role = domain::parse_code<domain::Role>(po::validators::get_single_string(tokens));
  if (!role) {
    throw po::error_with_option_name("%canonical_option%: must be one of " +
                                     std::string(domain::code_list<domain::Role>()));
  }
  out = RoleOption{*role};
}

void validate(boost::any& out, const std::vector<std::string>& tokens, FinancialYearOption*, int) {
  po::validators::check_first_occurrence(out);
  auto year = domain::parse_financial_year(po::validators::get_single_string(tokens));
  if (!year) {
    throw po::error_with_option_name("%canonical_option%: not a financial year like 2023-24");
  }
  out = FinancialYearOption{*year};
}

void validate(boost::any& out, const std::vector<std::string>& tokens, PathOption*, int) {
  po::validators::check_first_occurrence(out);
  auto path = po::validators::get_single_string(tokens);
  if (path.empty()) throw po::error_with_option_name("%canonical_option%: an empty path");
  out = PathOption{path};
}

namespace {

// Arguments refused for a reason Program_options does not name.
struct Refused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "--db FILE", "[--bind ADDR]", "[--team TEAM]..." for the usage line.
std::string synopsis_of(const po::option_description& option) {
  std::string text = "--" + option.long_name();
  if (option.semantic()->max_tokens() > 0) text += " " + option.semantic()->name();
  if (option.semantic()->is_required()) return text;
  return "[" + text + "]" + (option.semantic()->is_composing() ? "..." : "");
}

}  // namespace

CommandLine::CommandLine(std::string name, std::string about)
    : name_(std::move(name)), about_(std::move(about)) {
  options_.add_options()("help,h", "print this help");
}

void CommandLine::option(const char* name, const po::value_semantic* value, const char* about) {
  options_.add_options()(name, value, about);
}

void CommandLine::together(std::string first, std::string second) {
  together_.emplace_back(std::move(first), std::move(second));
}

void CommandLine::operand(std::string name, std::string* value, std::string about) {
  operands_.push_back({std::move(name), value, std::move(about)});
}

std::optional<int> CommandLine::parse(const std::vector<std::string>& args, std::ostream& out,
                                      std::ostream& errors) {
  const std::string see = "; see careledger " + name_ + " --help";
  try {
    // --help wins over everything else on the line, even a bad value.
    if (std::any_of(args.begin(), args.end(),
                    [](const std::string& a) { return a == "--help" || a == "-h"; })) {
      out << help();
      return 0;
    }
    read(args);
    return std::nullopt;
  } catch (const po::required_option& e) {
    errors << "careledger " << name_ << ": " << e.get_option_name() << " is required" << see
           << "\n";
  } catch (const po::error& e) {
    errors << "careledger " << name_ << ": " << e.what() << "\n";
  } catch (const Refused& e) {
    errors << "careledger " << name_ << ": " << e.what() << see << "\n";
  }
  return 2;
}

void CommandLine::read(const std::vector<std::string>& args) {
  // Unknown options are let through the parser so that they can be named as typed; guessing
  // is off, so --d is not taken for --db.
  const auto parsed =
      po::command_line_parser(args)
          .options(options_)
          .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
          .allow_unregistered()
          .run();
  std::vector<std::string> operands;
  for (const auto& option : parsed.options) {
    if (option.unregistered) {
      throw Refused("unknown option '" + option.original_tokens.front() + "'");
    }
    if (option.position_key >= 0) operands.push_back(option.value.front());
  }
  if (operands.size() > operands_.size()) {
    throw Refused("unexpected argument '" + operands[operands_.size()] + "'");
  }
  po::variables_map values;
  po::store(parsed, values);
  po::notify(values);  // refuses a missing required option, then fills the variables
  for (const auto& [first, second] : together_) {
    if (values.count(first) == values.count(second)) continue;
    const auto& [given, missing] =
        values.count(first) ? std::tie(first, second) : std::tie(second, first);
    throw Refused("--" + given + " needs --" + missing);
  }
  if (operands.size() < operands_.size()) {
    throw Refused(operands_[operands.size()].name + " is required");
  }
  for (std::size_t i = 0; i < operands.size(); ++i) *operands_[i].value = operands[i];
}

std::string CommandLine::help() const {
  std::vector<std::pair<std::string, std::string>> rows;
  std::string usage = "usage: careledger " + name_;
  for (const auto& option : options_.options()) {
    if (option->long_name() == "help") continue;
    usage += " " + synopsis_of(*option);
    std::string left = "--" + option->long_name();
    if (option->semantic()->max_tokens() > 0) left += " " + option->semantic()->name();
    rows.emplace_back(left, option->description());
  }
  for (const auto& operand : operands_) {
    usage += " " + operand.name;
    rows.emplace_back(operand.name, operand.about);
  }
  rows.emplace_back("--help", "print this help");
  std::size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.first.size());
  std::string text = usage + "\n\n" + about_ + "\noptions:\n";
  for (const auto& [left, right] : rows) {
    text += "  " + left + std::string(width - left.size() + 3, ' ') + right + "\n";
  }
  return text;
}

}  // namespace careledger::tools
