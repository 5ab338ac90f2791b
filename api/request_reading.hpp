#pragma once
// Reading a request off the wire, as the server does on each connection: Beast's parser under
// the server's limits, the framing check before any of the body is read, the refusal for a
// message that breaks them, and the request as the handlers see it. server.cpp reads from a
// socket with these; read_request() reads from bytes in hand (the HTTP fuzz target).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/http.hpp"
#include "services/failure.hpp"

namespace careledger::api {

struct RequestLimits {
  std::size_t body = 64 * 1024;
  std::size_t header = 16 * 1024;
};

// A parser for the next request, under the limits.
void limit(boost::beast::http::request_parser<boost::beast::http::string_body>& parser,
           const RequestLimits& limits);

// Why a request's header makes its body's length uncertain (RFC 9112 section 6: two different
// Content-Lengths, both Transfer-Encoding and Content-Length, a coding other than chunked, any
// coding in HTTP/1.0), if it does. Such a request is refused and its connection closed.
std::optional<std::string> framing_fault(const boost::beast::http::request_header<>& header);

// The refusal for a read that failed because of the message itself (too large, malformed);
// nullopt when it did not fail, or failed because the connection closed or timed out.
std::optional<services::Failure> refusal_for(const boost::system::error_code& ec,
                                             const RequestLimits& limits);

// What a request's header says, as the handlers see it (header names in lower case, the query
// split off); as far as it was read, for one refused before its end.
Request header_of(const boost::beast::http::request_header<>& header, std::string peer);
// The whole request, its body with it.
Request to_request(boost::beast::http::request<boost::beast::http::string_body>&& message,
                   std::string peer);

// One request read from the front of `bytes`.
struct ReadRequest {
  enum class Outcome { request, refused, incomplete } outcome = Outcome::incomplete;
  Request request;                           // when a request
  std::optional<services::Failure> refusal;  // when refused
  bool keep_alive = false;
  std::size_t used = 0;  // bytes of the message read
};
ReadRequest read_request(std::string_view bytes, const RequestLimits& limits);

}  // namespace careledger::api
