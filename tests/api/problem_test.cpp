// The one mapping from a refusal to an HTTP status, for every kind of refusal.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/codecs.hpp"

namespace careledger::api {
namespace {

using services::Failure;

TEST(ProblemResponse, EveryKindOfRefusalHasItsContractStatus) {
  const std::vector<std::pair<Failure::Kind, int>> expected{
      {Failure::Kind::bad_request, 400}, {Failure::Kind::unauthenticated, 401},
      {Failure::Kind::forbidden, 403},   {Failure::Kind::not_found, 404},
      {Failure::Kind::conflict, 409},    {Failure::Kind::precondition_failed, 412},
      {Failure::Kind::invalid, 422},
  };
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
