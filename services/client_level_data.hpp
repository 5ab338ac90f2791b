#pragma once
// The Client Level Data return (CLD.md): the file for a period, written live from the store a
// piece at a time, and its data-quality report.

#include <functional>
#include <string>
#include <string_view>

#include "domain/cld_export.hpp"
#include "services/command_runner.hpp"

namespace careledger::services {

// What was written.
struct CldFile {
  std::string file_name;  // CLD_<la_code>_<yyyymmdd>_<yyyymmdd>.csv
  long long rows = 0;
  long long people = 0;
};

// The file for `period` of the council `la_code`, read from `db` in one transaction: the header,
// then each person's rows, given to `write` a piece at a time as they are made (no access check:
// the command line's own, `careledger cld export`).
CldFile write_cld_file(persistence::Connection& db, const domain::cld::Period& period,
                       const std::string& la_code,
                       const std::function<void(std::string_view)>& write);
// The report's items go to `each` as they are found when it is given, else are kept.
domain::cld::QualityReport cld_quality(
    persistence::Connection& db, const domain::cld::Period& period, const std::string& la_code,
    std::function<void(const domain::cld::QualityReport::Item&)> each = {});

// Thread-safe: holds only the store.
class ClientLevelData {
 public:
  explicit ClientLevelData(Context& store) : store_(store) {}

  // The council's code, or Failure(conflict) naming cld.la_code when it is not configured.
  std::string la_code() const;
  // Admins only (every person's NHS number and date of birth): the header, then each person's
  // rows, given to `write` a piece at a time as they are made.
  CldFile write_file(const Actor& actor, const domain::cld::Period& period,
                     const std::function<void(std::string_view)>& write);
  // Admins and analysts: the report on the file as write_file would write it.
  domain::cld::QualityReport quality(
      const Actor& actor, const domain::cld::Period& period,
      std::function<void(const domain::cld::QualityReport::Item&)> each = {});

 private:
  Context& store_;
};

}  // namespace careledger::services
