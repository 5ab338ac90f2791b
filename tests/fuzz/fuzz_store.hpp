#pragma once
// A small council for the fuzz targets that go through the API: a store in a directory of its
// own (under /dev/shm when there is one, so that commits cost no disk), two teams, a user of
// each role, and one record of each kind, all made through the API itself. It is made once per
// process, on first use, and removed at exit.

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/api.hpp"

namespace careledger::fuzzing {

class FuzzStore {
 public:
  static FuzzStore& get();

  // Answers a request as the server would (it never throws); `token` empty sends none.
  api::Response call(std::string method, std::string_view target, std::string body,
                     const std::string& token);
  // A write from the admin, as Api::submit takes it (no bearer token, no access log): the
  // route's decoder, rules and service call.
  api::Response submit(std::string_view target, boost::json::object body);
  // The token of "admin", "team_leader", "practitioner" or "analyst".
  const std::string& token(std::string_view role) const;
  // The target of a route with its {} replaced by the id of the council's record of that kind.
  std::string target_of(std::string_view pattern) const;
  const api::Api& api() const;

  ~FuzzStore();

 private:
  FuzzStore();
  std::string made(const std::string& target, const std::string& body, const char* field = "id");
  struct Parts;
  std::unique_ptr<Parts> parts_;
  std::map<std::string, std::string, std::less<>> tokens_;
  std::map<std::string, std::string, std::less<>> ids_;  // by the route's prefix before {}
};

// A 5xx answer or a broken invariant is a defect the fuzzer must report: it aborts, with `why`.
[[noreturn]] void defect(std::string_view why, const api::Response& response);

}  // namespace careledger::fuzzing
