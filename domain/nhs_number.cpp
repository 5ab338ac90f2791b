#include "domain/nhs_number.hpp"

namespace careledger::domain {

bool is_valid_nhs_number(std::string_view text) {
  if (text.size() != 10) return false;
  int sum = 0;
  for (std::size_t i = 0; i < 10; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    if (i < 9) sum += (text[i] - '0') * static_cast<int>(10 - i);
  }
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10) return false;
  return check == text[9] - '0';
}

}  // namespace careledger::domain
