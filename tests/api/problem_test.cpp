// The one mapping from a refusal to an HTTP status, for every kind of refusal.
#include <gtest/gtest.h>

#include <map>

#include <boost/describe.hpp>
#include <boost/json.hpp>
#include <boost/mp11.hpp>

#include "api/problem.hpp"

namespace careledger::api {
namespace {

using services::Failure;

TEST(ProblemResponse, EveryKindOfRefusalHasItsContractStatus) {
  const std::map<Failure::Kind, int> expected{
      {Failure::Kind::bad_request, 400},
      {Failure::Kind::unauthenticated, 401},
      {Failure::Kind::forbidden, 403},
      {Failure::Kind::not_found, 404},
      {Failure::Kind::method_not_allowed, 405},
      {Failure::Kind::conflict, 409},
      {Failure::Kind::precondition_failed, 412},
      {Failure::Kind::payload_too_large, 413},
      {Failure::Kind::unsupported_media_type, 415},
      {Failure::Kind::invalid, 422},
      {Failure::Kind::too_many_requests, 429},
      {Failure::Kind::headers_too_large, 431},
      {Failure::Kind::internal, 500},
  };
  // A kind added to Failure (and to its description beside it) without its status here fails.
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<Failure::Kind>>([&](auto e) {
    EXPECT_TRUE(expected.contains(e.value)) << "no status expected for " << e.name;
  });
  for (const auto& [kind, status] : expected) {
    auto r = problem_response(Failure(kind, "why"));
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(r.content_type, "application/problem+json");
    auto body = boost::json::parse(r.body);
    EXPECT_EQ(body.at("status"), status);
    EXPECT_EQ(body.at("detail"), "why");
    EXPECT_TRUE(body.at("errors").is_array());
    EXPECT_TRUE(body.at("type").is_string());
    EXPECT_TRUE(body.at("title").is_string());
  }
}

TEST(ProblemResponse, NamesEachFieldInError) {
  auto r = problem_response(
      Failure(Failure::Kind::invalid, "bad", {{"a", "is required"}, {"b", "must be a date"}}));
  auto errors = boost::json::parse(r.body).at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("field"), "a");
  EXPECT_EQ(errors[1].at("message"), "must be a date");
}

}  // namespace
}  // namespace careledger::api

namespace careledger::api {
namespace {

TEST(ProblemResponse, TextIsEscapedAsJson) {
  auto r = problem_response(
      services::Failure(services::Failure::Kind::invalid, "a \"quoted\"\nline", {{"f\"", "x"}}));
  auto body = boost::json::parse(r.body);
  EXPECT_EQ(body.at("detail"), "a \"quoted\"\nline");
  EXPECT_EQ(body.at("errors").at(0).at("field"), "f\"");
}

TEST(ProblemResponse, UnauthenticatedAndTooManyCarryTheirHeaders) {
  auto has = [](const Response& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
      if (n == name) return true;
    }
    return false;
  };
  EXPECT_TRUE(
      has(problem_response(services::Failure(services::Failure::Kind::unauthenticated, "x")),
          "WWW-Authenticate"));
  EXPECT_TRUE(
      has(problem_response(services::Failure(services::Failure::Kind::too_many_requests, "x")),
          "Retry-After"));
}

}  // namespace
}  // namespace careledger::api
