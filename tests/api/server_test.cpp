// The server itself: restarts, keep-alive, malformed HTTP.
#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

TEST_F(ApiTest, EverythingRecordedIsThereAfterARestart) {
  const auto person = create_person();
  const auto assessment = request_assessment(person, "2024-03-01", "urgent");
  stop();
  start();
  EXPECT_EQ(get(north, "/v1/people/" + person).status, 200);
  auto list = get(north, "/v1/waiting-list").json();
  ASSERT_EQ(list.at("items").as_array().size(), 1u);
  EXPECT_EQ(list.at("items").as_array()[0].at("assessment_id").as_string(), assessment);
}

TEST_F(ApiTest, OneConnectionServesManyRequests) {
  for (int i = 0; i < 50; ++i) ASSERT_EQ(client->send("GET", "/healthz").status, 200);
}

TEST_F(ApiTest, MalformedHttpIs400) {
  auto r = client->send_raw("GARBAGE\r\n\r\n");
  EXPECT_EQ(r.status, 400);
}

TEST_F(ApiTest, OversizedHeadersAreRefused) {
  auto r = client->send("GET", "/healthz", {{"X-Padding", std::string(20000, 'x')}});
  EXPECT_EQ(r.status, 431);
}

}  // namespace
}  // namespace careledger::testing
