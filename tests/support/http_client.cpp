#include "tests/support/http_client.hpp"

#include <algorithm>
#include <optional>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/json.hpp>

namespace careledger::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

const boost::json::value& HttpResponse::json() const {
  if (!parsed_) parsed_ = boost::json::parse(body);
  return *parsed_;
}

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string{} : it->second;
}

struct HttpClient::Impl {
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  unsigned short port;

  explicit Impl(unsigned short p) : port(p) { connect(); }
  void connect() {
    stream.emplace(ioc);
    buffer.clear();
    stream->connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }
  // `head`: the answer to HEAD, which has no body whatever its Content-Length says.
  HttpResponse read(bool head = false) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(head);
    http::read(*stream, buffer, parser);
    auto message = parser.release();
    HttpResponse out;
    out.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), ::tolower);
      out.headers[name] = std::string(field.value());
    }
    out.body = message.body();
    if (!message.keep_alive()) stream.reset();  // the server closes it; the next send reconnects
    return out;
  }
};

HttpClient::HttpClient(unsigned short port) : impl_(std::make_unique<Impl>(port)) {}
HttpClient::~HttpClient() = default;

HttpResponse HttpClient::send(const std::string& method, const std::string& target,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body) {
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty() || method == "POST") {
    request.body() = body;
    request.prepare_payload();
  }
  if (!impl_->stream) impl_->connect();
  http::write(*impl_->stream, request);
  return impl_->read(method == "HEAD");
}

HttpResponse HttpClient::send_raw(const std::string& bytes) {
  if (!impl_->stream) impl_->connect();
  net::write(*impl_->stream, net::buffer(bytes));
  return impl_->read();
}

}  // namespace careledger::testing
