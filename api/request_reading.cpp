#include "api/request_reading.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

namespace careledger::api {

namespace beast = boost::beast;
namespace http = beast::http;
using services::Failure;

namespace {

// "64 KiB" for a limit of 65536 bytes, "256 MiB" for an upload's; bytes when it is not a whole
// number of KiB.
std::string size_text(std::size_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
    return std::to_string(bytes / (1024 * 1024)) + " MiB";
  }
  if (bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

void limit(http::request_parser<http::string_body>& parser, const RequestLimits& limits) {
  parser.body_limit(limits.body);
  parser.header_limit(static_cast<std::uint32_t>(limits.header));
}

std::optional<std::string> framing_fault(const http::request_header<>& header) {
  std::vector<std::string_view> lengths, encodings;
  for (const auto& field : header) {
    if (field.name() == http::field::content_length) lengths.push_back(field.value());
    if (field.name() == http::field::transfer_encoding) encodings.push_back(field.value());
  }
  for (const auto length : lengths) {
    if (length != lengths.front()) return "two different Content-Length headers";
  }
  if (encodings.empty()) return std::nullopt;
  // HTTP/1.0 has no transfer codings: such a message's framing is faulty (section 6.1).
  if (header.version() < 11) return "Transfer-Encoding in an HTTP/1.0 request";
  if (!lengths.empty()) return "both Transfer-Encoding and Content-Length";
  if (encodings.size() > 1 || !beast::iequals(trimmed(encodings.front()), "chunked")) {
    return "a Transfer-Encoding other than chunked";
  }
  return std::nullopt;
}

std::optional<Failure> refusal_for(const boost::system::error_code& ec,
                                   const RequestLimits& limits) {
  if (ec == http::error::body_limit) {
    return Failure(Failure::Kind::payload_too_large,
                   "request body larger than " + size_text(limits.body));
  }
  if (ec == http::error::header_limit) {
    return Failure(Failure::Kind::headers_too_large,
                   "request headers larger than " + size_text(limits.header));
  }
  // Any other fault of the message itself (its framing, a chunk, a line) is malformed; a
  // connection closed or timed out before a whole request is simply closed.
  if (ec && ec.category() == http::make_error_code(http::error::bad_target).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message &&
      ec != http::error::need_more && ec != http::error::need_buffer) {
    return Failure(Failure::Kind::bad_request, "malformed HTTP request");
  }
  return std::nullopt;
}

Request header_of(const http::request_header<>& header, std::string peer) {
  Request request;
  request.method = std::string(header.method_string());
  const std::string_view target = header.target();
  const auto q = target.find('?');
  request.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) request.query = std::string(target.substr(q + 1));
  for (const auto& field : header) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.peer = std::move(peer);
  return request;
}

Request to_request(http::request<http::string_body>&& message, std::string peer) {
  Request request = header_of(message.base(), std::move(peer));
  request.body = std::move(message.body());
  return request;
}

ReadRequest read_request(std::string_view bytes, const RequestLimits& limits) {
  ReadRequest out;
  http::request_parser<http::string_body> parser;
  limit(parser, limits);
  auto refuse = [&](Failure failure) {
    out.outcome = ReadRequest::Outcome::refused;
    out.refusal = std::move(failure);
    return out;
  };
  bool header_checked = false;
  while (!parser.is_done()) {
    boost::system::error_code ec;
    const auto used =
        parser.put(boost::asio::buffer(bytes.data() + out.used, bytes.size() - out.used), ec);
    out.used += used;
    if (ec == http::error::need_more) {
      // It took what it could (a header is taken whole): go on while it takes more.
      if (used > 0 && out.used < bytes.size()) continue;
      if (!parser.got_some()) return out;  // nothing yet
      parser.put_eof(ec);
      if (auto refusal = refusal_for(ec, limits)) return refuse(std::move(*refusal));
      return out;  // incomplete: a connection would wait for the rest
    }
    if (auto refusal = refusal_for(ec, limits)) return refuse(std::move(*refusal));
    if (ec) return out;
    if (parser.is_header_done() && !header_checked) {
      header_checked = true;
      if (auto why = framing_fault(parser.get())) {
        return refuse(Failure(Failure::Kind::bad_request, *why));
      }
    }
    if (used == 0 && !parser.is_done()) return out;  // nothing more it can take
  }
  out.keep_alive = parser.get().keep_alive();
  out.outcome = ReadRequest::Outcome::request;
  out.request = to_request(parser.release(), "fuzz");
  return out;
}

}  // namespace careledger::api
