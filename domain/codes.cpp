#include "domain/codes.hpp"

// Every code table must be complete: each enumerator spelled once.
namespace careledger::domain {
static_assert(CodeTable<Priority>::entries.size() == 4);
static_assert(CodeTable<ClosureReason>::entries.size() == 5);
static_assert(CodeTable<SupportReason>::entries.size() == 6);
}  // namespace careledger::domain
