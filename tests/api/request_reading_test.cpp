// Reading a request from bytes as the server reads it from a connection (the HTTP fuzz
// target's entry): a whole request, the framing RFC 9112 forbids, the limits, and bytes that
// are not yet a whole request.
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "api/request_reading.hpp"

namespace careledger::api {
namespace {

using Outcome = ReadRequest::Outcome;

TEST(ReadRequest, AWholeRequestIsWhatTheHandlersSee) {
  const auto read = read_request(
      "POST /v1/people?x=1 HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
      "Content-Length: 2\r\n\r\n{}GET /next HTTP/1.1\r\n\r\n",
      {});
  ASSERT_EQ(read.outcome, Outcome::request);
  EXPECT_EQ(read.request.method, "POST");
  EXPECT_EQ(read.request.path, "/v1/people");
  EXPECT_EQ(read.request.query, "x=1");
  EXPECT_EQ(read.request.body, "{}");
  ASSERT_NE(read.request.header("content-type"), nullptr);
  EXPECT_EQ(read.request.headers.at(1).first, "content-type");  // names in lower case
  EXPECT_TRUE(read.keep_alive);
  // Only its own bytes are taken: the next request is left for the next read.
  EXPECT_EQ(read.used, std::string_view("POST /v1/people?x=1 HTTP/1.1\r\nHost: h\r\nContent-Type: "
                                        "application/json\r\nContent-Length: 2\r\n\r\n{}")
                           .size());
}

TEST(ReadRequest, AChunkedBodyIsJoined) {
  const auto read = read_request(
      "POST /v1/reviews HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{\"\r\n3\r\na\":\r\n"
      "2\r\n1}\r\n0\r\n\r\n",
      {});
  ASSERT_EQ(read.outcome, Outcome::request);
  EXPECT_EQ(read.request.body, "{\"a\":1}");
}

TEST(ReadRequest, FramingWhoseLengthIsUncertainIsRefused) {
  // Each with the check that refuses it: Beast's parser, or the framing check after it.
  for (const auto& [framing, why] : std::vector<std::pair<std::string, std::string>>{
           {"Transfer-Encoding: gzip\r\nContent-Length: 2\r\n",
            "both Transfer-Encoding and Content-Length"},
           {"Content-Length: 2\r\nTransfer-Encoding: xchunked\r\n", "malformed HTTP request"},
           {"Transfer-Encoding: gzip, chunked\r\n", "a Transfer-Encoding other than chunked"},
           {"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
            "a Transfer-Encoding other than chunked"},
           {"Transfer-Encoding: chunked\r\nContent-Length: 2\r\n", "malformed HTTP request"},
           {"Content-Length: 2\r\nContent-Length: 3\r\n", "malformed HTTP request"},
       }) {
    const auto read =
        read_request("POST /v1/people HTTP/1.1\r\n" + framing + "\r\n{}\r\n0\r\n\r\n", {});
    ASSERT_EQ(read.outcome, Outcome::refused) << framing;
    EXPECT_EQ(read.refusal->kind, services::Failure::Kind::bad_request) << framing;
    EXPECT_EQ(read.refusal->detail, why) << framing;
  }
  const auto old = read_request(
      "POST /v1/people HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", {});
  ASSERT_EQ(old.outcome, Outcome::refused);
  EXPECT_EQ(old.refusal->detail, "Transfer-Encoding in an HTTP/1.0 request");
}

TEST(ReadRequest, ABodyOrHeaderOverItsLimitIsRefusedSayingWhich) {
  const RequestLimits limits{4, 64};
  const auto body =
      read_request("POST /v1/people HTTP/1.1\r\nContent-Length: 5\r\n\r\n12345", limits);
  ASSERT_EQ(body.outcome, Outcome::refused);
  EXPECT_EQ(body.refusal->kind, services::Failure::Kind::payload_too_large);
  EXPECT_EQ(body.refusal->detail, "request body larger than 4 bytes");
  const auto header = read_request(
      "GET /v1/people HTTP/1.1\r\nX-Long: " + std::string(100, 'a') + "\r\n\r\n", limits);
  ASSERT_EQ(header.outcome, Outcome::refused);
  EXPECT_EQ(header.refusal->kind, services::Failure::Kind::headers_too_large);
}

TEST(ReadRequest, BytesThatAreNotYetAWholeRequestAreIncompleteAndGarbageIsMalformed) {
  EXPECT_EQ(read_request("", {}).outcome, Outcome::incomplete);
  EXPECT_EQ(read_request("GET /v1/people HTTP/1.1\r\nHost:", {}).outcome, Outcome::incomplete);
  EXPECT_EQ(read_request("POST /v1/people HTTP/1.1\r\nContent-Length: 9\r\n\r\n{}", {}).outcome,
            Outcome::incomplete);
  const auto garbage = read_request("GET /v1/people HTTQ/1.1\r\n\r\n", {});
  ASSERT_EQ(garbage.outcome, Outcome::refused);
  EXPECT_EQ(garbage.refusal->kind, services::Failure::Kind::bad_request);
}

}  // namespace
}  // namespace careledger::api
