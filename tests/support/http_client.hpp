#pragma once
// A blocking HTTP/1.1 client on one keep-alive connection, for API tests.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace careledger::testing {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The body parsed once; the reference lives as long as the response, so
  // `for (auto& x : response.json().at("items").as_array())` is safe.
  const boost::json::value& json() const;
  std::string header(const std::string& name) const;

 private:
  mutable std::optional<boost::json::value> parsed_;
};

class HttpClient {
 public:
  explicit HttpClient(unsigned short port);
  ~HttpClient();
  HttpResponse send(const std::string& method, const std::string& target,
                    const std::vector<std::pair<std::string, std::string>>& headers = {},
                    const std::string& body = "");
  // Writes raw bytes and reads one response (for malformed or oversized requests).
  HttpResponse send_raw(const std::string& bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::testing
