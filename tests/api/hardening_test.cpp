// The server under attack and audit (API.md Conventions, version 1.1): strict framing, HEAD,
// answers no cache keeps, the request log, the limits on guessing and on connections.
#include <cstdio>

#include <poll.h>

#include <boost/asio.hpp>

#include "persistence/database.hpp"
#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

class HardeningTest : public ApiTest {};

// Each framing RFC 9112 forbids is refused before its body is read, and the connection closed,
// so no byte of it is taken for a next request. Nothing is recorded.
TEST_F(HardeningTest, AmbiguousFramingIs400AndClosesTheConnection) {
  const std::string body =
      R"({"given_name":"A","family_name":"B","date_of_birth":"1950-01-01","team":"north"})";
  const std::string start = "POST /v1/people HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                            admin + "\r\nContent-Type: application/json\r\n";
  const std::string length = "Content-Length: " + std::to_string(body.size()) + "\r\n";
  for (const std::string& framing : {
           "Transfer-Encoding: gzip\r\n" + length,
           "Transfer-Encoding: xchunked\r\n" + length,
           "Transfer-Encoding: chunked\r\n" + length,
           length + "Content-Length: " + std::to_string(body.size() + 1) + "\r\n",
       }) {
    auto r = client->send_raw(start + framing + "\r\n" + body);
    EXPECT_EQ(r.status, 400) << framing;
    EXPECT_EQ(r.header("connection"), "close") << framing;
  }
  // HTTP/1.0 has no transfer codings: a chunked body there is faulty framing too.
  char chunk_size[16];
  std::snprintf(chunk_size, sizeof chunk_size, "%zx", body.size());
  auto old = client->send_raw("POST /v1/people HTTP/1.0\r\nAuthorization: Bearer " + admin +
                              "\r\nContent-Type: application/json\r\nTransfer-Encoding: "
                              "chunked\r\n\r\n" +
                              chunk_size + "\r\n" + body + "\r\n0\r\n\r\n");
  EXPECT_EQ(old.status, 400);
  EXPECT_EQ(event_count(), 0);
  // The same request framed once is recorded.
  EXPECT_EQ(client->send_raw(start + length + "\r\n" + body).status, 201);
}

TEST_F(HardeningTest, HeadAnswersEveryGetWithItsHeaderAlone) {
  const auto person = create_person();
  auto got = get(admin, "/v1/people/" + person);
  auto head = client->send("HEAD", "/v1/people/" + person, {{"Authorization", "Bearer " + admin}});
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.header("content-length"), std::to_string(got.body.size()));
  EXPECT_EQ(head.header("etag"), got.header("etag"));
  // A list answered in pieces to GET has its whole length to HEAD.
  auto csv_head = client->send("HEAD", "/v1/waiting-list",
                               {{"Authorization", "Bearer " + admin}, {"Accept", "text/csv"}});
  auto csv = client->send("GET", "/v1/waiting-list",
                          {{"Authorization", "Bearer " + admin}, {"Accept", "text/csv"}});
  EXPECT_EQ(csv_head.header("content-length"), std::to_string(csv.body.size()));
  // HEAD is refused where GET is, and a route with no GET says what it allows.
  EXPECT_EQ(client->send("HEAD", "/v1/people/" + person).status, 401);
  auto post_only = client->send("HEAD", "/v1/corrections", {{"Authorization", "Bearer " + admin}});
  EXPECT_EQ(post_only.status, 405);
  EXPECT_EQ(post_only.header("allow"), "POST");
  EXPECT_EQ(get(admin, "/v1/people/" + person).status, 200);  // the connection still serves
}

TEST_F(HardeningTest, NoAnswerIsKeptByACacheAndEachNamesItsRequest) {
  const auto person = create_person();
  auto r = get(north, "/v1/people/" + person);
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_EQ(get(north, "/v1/people/nobody").header("cache-control"), "no-store");
  const auto made = r.header("x-request-id");
  EXPECT_EQ(made.size(), 32u);
  EXPECT_NE(get(north, "/v1/people/" + person).header("x-request-id"), made);  // new each time
  auto given = client->send("GET", "/v1/people/" + person,
                            {{"Authorization", "Bearer " + north}, {"X-Request-Id", "trace-42"}});
  EXPECT_EQ(given.header("x-request-id"), "trace-42");
  // One that is not a plain token is not echoed (it could carry anything into a log).
  auto odd = client->send("GET", "/v1/people/" + person,
                          {{"Authorization", "Bearer " + north}, {"X-Request-Id", "a\"b{c}"}});
  EXPECT_EQ(odd.header("x-request-id").size(), 32u);
}

TEST_F(HardeningTest, TheRequestLogHasALinePerRequestWithItsPatternNeverItsIds) {
  const auto person = create_person();
  client->send("GET", "/v1/people/" + person,
               {{"Authorization", "Bearer " + north}, {"X-Request-Id", "trace-7"}});
  client->send("GET", "/v1/people/" + person, {{"Authorization", "Bearer wrong"}});
  const auto lines = logged();
  ASSERT_EQ(lines.size(), 3u);  // the registration, the read, the refusal
  const auto read = boost::json::parse(lines[1]).as_object();
  EXPECT_EQ(read.at("request_id"), "trace-7");
  EXPECT_EQ(read.at("user"), "nia");
  EXPECT_EQ(read.at("method"), "GET");
  EXPECT_EQ(read.at("route"), "/v1/people/{}");
  EXPECT_EQ(read.at("status"), 200);
  EXPECT_TRUE(read.at("ms").is_number());
  EXPECT_TRUE(read.at("ts").as_string().ends_with("Z"));
  for (const auto& line : lines) {
    EXPECT_EQ(line.find(person), std::string::npos) << line;
    EXPECT_EQ(line.find(admin), std::string::npos) << line;
    EXPECT_EQ(line.find("Ada"), std::string::npos) << line;  // no body
  }
  const auto refused = boost::json::parse(lines[2]).as_object();
  EXPECT_TRUE(refused.at("user").is_null());
  EXPECT_EQ(refused.at("status"), 401);
}

// A request the server refuses before any route sees it (badly framed, too large) is answered
// as any other refusal: with a request id, a line in the request log and, on a route that
// carries person data, an entry in the access log under its caller's name.
TEST_F(HardeningTest, TheServersOwnRefusalsAreLoggedAsAnyOther) {
  auto framing = client->send_raw(
      "POST /v1/people HTTP/1.1\r\nAuthorization: Bearer " + north +
      "\r\nX-Request-Id: trace-9\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}");
  ASSERT_EQ(framing.status, 400);
  EXPECT_EQ(framing.header("x-request-id"), "trace-9");
  EXPECT_EQ(framing.header("cache-control"), "no-store");
  auto large = client->send_raw(
      "POST /v1/people HTTP/1.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 100000\r\n\r\n{");
  ASSERT_EQ(large.status, 413);
  EXPECT_EQ(large.header("x-request-id").size(), 32u);
  auto long_header = client->send_raw(
      "GET /v1/teams HTTP/1.1\r\nX-Long: " + std::string(17 * 1024, 'a') + "\r\n\r\n");
  ASSERT_EQ(long_header.status, 431);
  const auto lines = logged();
  ASSERT_EQ(lines.size(), 3u);
  const auto first = boost::json::parse(lines[0]).as_object();
  EXPECT_EQ(first.at("request_id"), "trace-9");
  EXPECT_EQ(first.at("method"), "POST");
  EXPECT_EQ(first.at("route"), "/v1/people");
  EXPECT_EQ(first.at("user"), "nia");
  EXPECT_EQ(first.at("status"), 400);
  const auto second = boost::json::parse(lines[1]).as_object();
  EXPECT_EQ(second.at("request_id").as_string(), large.header("x-request-id"));
  EXPECT_EQ(second.at("route"), "/v1/people");
  EXPECT_EQ(second.at("status"), 413);
  const auto third = boost::json::parse(lines[2]).as_object();
  EXPECT_EQ(third.at("route"), "/v1/teams");  // its start line was read, if not all its header
  EXPECT_EQ(third.at("status"), 431);
  // Both refusals on /v1/people are in the access log; nothing was recorded.
  auto db = persistence::open_reader(db_path);
  EXPECT_EQ(db->execAndGet("SELECT COUNT(*) FROM access_log WHERE route = '/v1/people' AND "
                           "status IN (400, 413)")
                .getInt64(),
            2);
  EXPECT_EQ(
      db->execAndGet("SELECT \"user\" FROM access_log WHERE request_id = 'trace-9'").getString(),
      "nia");
  EXPECT_EQ(event_count(), 0);
}

TEST_F(HardeningTest, AQueryValueThatIsNotUtf8Is400NamingIt) {
  auto r = get(admin, "/v1/waiting-list?team=nor%FFth");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"team"});
  EXPECT_NO_THROW(r.json());  // valid JSON: the bytes are not echoed
  // é is text: then it is refused for not being a registered team.
  auto unicode = get(admin, "/v1/waiting-list?team=%C3%A9ast");
  EXPECT_EQ(unicode.status, 422);
  EXPECT_EQ(error_fields(unicode), std::vector<std::string>{"team"});
  EXPECT_EQ(get(admin, "/v1/waiting-list?team=%C0%AF").status, 400);     // an overlong '/'
  EXPECT_EQ(get(admin, "/v1/waiting-list?team=%ED%A0%80").status, 400);  // a surrogate
}

// API.md Bounds: query dates from 1900-01-01 to five years after today (2024-06-30 here),
// financial years from 2000-01 to next year's, known_at not after now.
TEST_F(HardeningTest, QueryValuesOutsideTheirBoundsAre400NamingThem) {
  auto refused = [&](const std::string& path) {
    auto r = get(admin, path);
    EXPECT_EQ(r.status, 400) << path;
    return error_fields(r);
  };
  using Fields = std::vector<std::string>;
  EXPECT_EQ(refused("/v1/measures?from=2024-04-01&to=9999-12-31"), Fields{"to"});
  EXPECT_EQ(refused("/v1/measures?from=1899-12-31&to=2024-03-31"), Fields{"from"});
  EXPECT_EQ(refused("/v1/waiting-list?as_at=2029-07-01"), Fields{"as_at"});
  EXPECT_EQ(get(admin, "/v1/waiting-list?as_at=2029-06-30").status, 200);
  EXPECT_EQ(get(admin, "/v1/waiting-list?as_at=1900-01-01").status, 200);
  EXPECT_EQ(refused("/v1/deferred-payments/attention?as_at=9999-12-31"), Fields{"as_at"});
  EXPECT_EQ(refused("/v1/reports/monthly?financial_year=9998-99"), Fields{"financial_year"});
  EXPECT_EQ(refused("/v1/reports/performance?financial_year=1999-00"), Fields{"financial_year"});
  EXPECT_EQ(refused("/v1/reports/monthly?financial_year=2026-27"), Fields{"financial_year"});
  EXPECT_EQ(get(admin, "/v1/reports/monthly?financial_year=2025-26").status, 200);
  EXPECT_EQ(get(admin, "/v1/reports/monthly?financial_year=2000-01").status, 200);
  EXPECT_EQ(refused("/v1/measures?known_at=2999-01-01T00:00:00Z"), Fields{"known_at"});
}

TEST_F(HardeningTest, AnAmountOfMoneyOutsideZeroToTenToTheTwelfthIs422AndRecordsNothing) {
  const auto person = create_person();
  const auto before = event_count();
  auto placement = [&](const std::string& weekly) {
    return post(admin, "/v1/care-home-placements",
                R"({"person_id":")" + person +
                    R"(","started_on":"2024-01-01","weekly_cost_pence":)" + weekly +
                    R"(,"property_disregard":true})");
  };
  for (const std::string weekly : {"4611686018427387904", "1000000000001", "-1"}) {
    auto r = placement(weekly);
    EXPECT_EQ(r.status, 422) << weekly;
    EXPECT_EQ(error_fields(r), std::vector<std::string>{"weekly_cost_pence"}) << weekly;
  }
  EXPECT_EQ(event_count(), before);
  EXPECT_EQ(placement("1000000000000").status, 201);
}

// Guessing tokens: a burst of requests from one address without a valid token, then 429.
class GuessingTest : public ApiTest {
  api::ApiOptions api_options() const override {
    auto options = ApiTest::api_options();
    options.anonymous_per_second = 0.001;  // nothing comes back within the test
    options.anonymous_burst = 5;
    return options;
  }
};

TEST_F(GuessingTest, RequestsWithoutAValidTokenAreLimitedPerAddress) {
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(get("guess" + std::to_string(i), "/v1/people/x").status, 401);
  EXPECT_EQ(get("guess5", "/v1/people/x").status, 429);
  EXPECT_EQ(client->send("GET", "/v1/waiting-list").status, 429);  // no token at all, too
  // A valid token is not held back by the guesses from its address.
  EXPECT_EQ(get(admin, "/v1/waiting-list").status, 200);
}

// At the cap, a new connection waits to be accepted until one closes, then is served.
class CappedTest : public ApiTest {
  std::size_t max_connections() const override { return 1; }
};

TEST_F(CappedTest, AConnectionOverTheCapIsServedWhenOneCloses) {
  ASSERT_EQ(client->send("GET", "/healthz").status, 200);  // the one connection, kept open
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket waiting(ioc);
  waiting.connect({boost::asio::ip::make_address("127.0.0.1"), app->port()});  // the backlog
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  boost::asio::write(waiting, boost::asio::buffer(request));
  // The open connection is still served, and the waiting one is not (given a fifth of a second
  // beyond that round trip, in which an uncapped server would have answered it).
  ASSERT_EQ(client->send("GET", "/healthz").status, 200);
  pollfd ready{waiting.native_handle(), POLLIN, 0};
  EXPECT_EQ(::poll(&ready, 1, 200), 0);
  client.reset();  // closes the first connection
  std::string answer;
  boost::system::error_code ec;
  boost::asio::read(waiting, boost::asio::dynamic_buffer(answer), ec);  // until the server closes
  EXPECT_EQ(ec, boost::asio::error::eof);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer;
}

}  // namespace
}  // namespace careledger::testing
