// The only translation unit that includes Beast and Asio: template-heavy code is compiled once.
#include "api/server.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include "api/problem.hpp"

namespace careledger::api {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

const std::string* Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return &value;
    }
  }
  return nullptr;
}

namespace {

using services::Failure;

// "64 KiB" for a limit of 65536 bytes; bytes when it is not a whole number of KiB.
std::string size_text(std::size_t bytes) {
  if (bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

class Session;

struct Shared {
  ServerOptions options;
  Handler handler;
  net::thread_pool workers;
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::map<Session*, std::weak_ptr<Session>> sessions;

  Shared(ServerOptions o, Handler h)
      : options(std::move(o)),
        handler(std::move(h)),
        workers(static_cast<std::size_t>(std::max(1, options.worker_threads))) {}
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}

  ~Session() {
    std::lock_guard lock(shared_.sessions_mutex);
    shared_.sessions.erase(this);
  }

  void start() {
    {
      std::lock_guard lock(shared_.sessions_mutex);
      shared_.sessions[this] = weak_from_this();
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  // Called on stop: an idle connection is closed now, a busy one after its answer.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  void read() {
    if (shared_.stopping) return close();
    parser_.emplace();
    parser_->body_limit(shared_.options.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(shared_.options.header_limit));
    stream_.expires_after(shared_.options.read_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return refuse(Failure(Failure::Kind::payload_too_large,
                            "request body larger than " + size_text(shared_.options.body_limit)));
    }
    if (ec == http::error::header_limit) {
      return refuse(
          Failure(Failure::Kind::headers_too_large,
                  "request headers larger than " + size_text(shared_.options.header_limit)));
    }
    if (ec == http::error::bad_target || ec == http::error::bad_method ||
        ec == http::error::bad_field || ec == http::error::bad_value ||
        ec == http::error::bad_version) {
      return refuse(Failure(Failure::Kind::bad_request, "malformed HTTP request"));
    }
    if (ec) return close();

    auto message = parser_->release();
    const bool keep_alive = message.keep_alive();
    const unsigned version = message.version();
    Request request;
    request.method = std::string(message.method_string());
    const std::string_view target = message.target();
    const auto q = target.find('?');
    request.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) request.query = std::string(target.substr(q + 1));
    for (const auto& field : message) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = std::move(message.body());

    busy_ = true;
    stream_.expires_never();
    // The guard keeps the io_context running until the answer is written, even when stopping.
    auto work = net::make_work_guard(stream_.get_executor());
    net::post(shared_.workers, [self = shared_from_this(), request = std::move(request), keep_alive,
                                version, work = std::move(work)]() mutable {
      Response response = self->shared_.handler(request);
      net::post(self->stream_.get_executor(),
                [self, response = std::move(response), keep_alive, version]() mutable {
                  self->write(std::move(response), keep_alive, version);
                });
      work.reset();
    });
  }

  // A request refused before it could be read whole: answered, then the connection closed.
  void refuse(const Failure& failure) { write(problem_response(failure), false, 11); }

  void write(Response response, bool keep_alive, unsigned version) {
    if (response.stream && version >= 11) return write_streamed(std::move(response), keep_alive);
    if (response.stream) {  // HTTP/1.0 has no chunks: the pieces are gathered into one body
      auto next = response.stream();
      while (auto piece = next()) response.body += *piece;
    }
    auto message = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), version);
    message->set(http::field::server, "careledger");
    message->set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) message->set(name, value);
    message->keep_alive(keep_alive && !shared_.stopping);
    message->body() = std::move(response.body);
    message->prepare_payload();
    stream_.expires_after(shared_.options.read_timeout);
    http::async_write(stream_, *message,
                      [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
                        self->busy_ = false;
                        if (ec || !message->keep_alive()) return self->close();
                        self->read();
                      });
  }

  // The header, then each piece as a chunk, then the last chunk; the next request is read only
  // once the whole answer is written.
  void write_streamed(Response response, bool keep_alive) {
    auto header = std::make_shared<http::response<http::empty_body>>(
        static_cast<http::status>(response.status), 11);
    header->set(http::field::server, "careledger");
    header->set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) header->set(name, value);
    header->keep_alive(keep_alive && !shared_.stopping);
    header->chunked(true);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*header);
    auto next = std::make_shared<NextPiece>(response.stream());
    stream_.expires_after(shared_.options.read_timeout);
    http::async_write_header(
        stream_, *serializer,
        [self = shared_from_this(), header, serializer, next](beast::error_code ec, std::size_t) {
          if (ec) return self->close();
          self->write_piece(next, header->keep_alive());
        });
  }

  void write_piece(std::shared_ptr<NextPiece> next, bool keep_alive) {
    auto piece = std::make_shared<std::optional<std::string>>();
    try {
      do *piece = (*next)();  // an empty chunk would end the body: skip empty pieces
      while (*piece && (*piece)->empty());
    } catch (...) {  // the header is sent: a cut-off body, never one that looks whole
      return close();
    }
    stream_.expires_after(shared_.options.read_timeout);
    if (!*piece) {
      auto last = std::make_shared<http::chunk_last<http::chunk_crlf>>(http::make_chunk_last());
      return net::async_write(
          stream_, *last,
          [self = shared_from_this(), last, keep_alive](beast::error_code ec, std::size_t) {
            self->busy_ = false;
            if (ec || !keep_alive) return self->close();
            self->read();
          });
    }
    auto chunk = std::make_shared<http::chunk_body<net::const_buffer>>(
        http::make_chunk(net::const_buffer((*piece)->data(), (*piece)->size())));
    net::async_write(stream_, *chunk,
                     [self = shared_from_this(), piece, chunk, next, keep_alive](
                         beast::error_code ec, std::size_t) {
                       if (ec) return self->close();
                       self->write_piece(next, keep_alive);
                     });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Shared& shared_;
  bool busy_ = false;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, Handler handler)
      : shared(std::move(options), std::move(handler)),
        ioc(std::max(1, shared.options.io_threads)),
        acceptor(net::make_strand(ioc)),
        signals(ioc) {
    const tcp::endpoint endpoint{net::ip::make_address(shared.options.bind), shared.options.port};
    acceptor.open(endpoint.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(net::socket_base::max_listen_connections);
    bound_port = acceptor.local_endpoint().port();
    address = shared.options.bind;
  }

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor.is_open()) return;  // stopped
      } else {
        // An answer written in pieces (a chunked CSV, a report) goes out at once rather than
        // waiting for the client's delayed acknowledgement of the piece before it.
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(socket), shared)->start();
      }
      accept();
    });
  }

  // From any thread. Once this returns, no response offers keep-alive any more.
  void begin_stop() {
    if (shared.stopping.exchange(true)) return;
    net::post(acceptor.get_executor(), [this] {
      beast::error_code ec;
      acceptor.close(ec);
      signals.cancel(ec);
      std::vector<std::shared_ptr<Session>> live;
      {
        std::lock_guard lock(shared.sessions_mutex);
        for (auto& [raw, weak] : shared.sessions) {
          if (auto session = weak.lock()) live.push_back(std::move(session));
        }
      }
      for (auto& session : live) session->close_if_idle();
    });
  }

  Shared shared;
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::signal_set signals;
  unsigned short bound_port = 0;
  std::string address;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

unsigned short Server::port() const {
  return impl_->bound_port;
}
const std::string& Server::address() const {
  return impl_->address;
}

void Server::run() {
  if (impl_->shared.options.stop_on_signals) {
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
    impl_->signals.async_wait([this](beast::error_code ec, int) {
      if (!ec) impl_->begin_stop();
    });
  }
  impl_->accept();
  std::vector<std::thread> threads;
  for (int i = 1; i < std::max(1, impl_->shared.options.io_threads); ++i) {
    threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (auto& thread : threads) thread.join();
  impl_->shared.workers.join();
}

void Server::stop() {
  impl_->begin_stop();
}

}  // namespace careledger::api
