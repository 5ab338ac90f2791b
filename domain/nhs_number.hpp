#pragma once

#include <string_view>

namespace careledger::domain {

// True for 10 digits whose last is the Modulus 11 check digit of the first nine
// (weights 10..2; a remainder giving check digit 10 is never valid).
bool is_valid_nhs_number(std::string_view text);

}  // namespace careledger::domain
