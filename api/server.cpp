// The only translation unit that includes Beast and Asio: template-heavy code is compiled once.
#include "api/server.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/resource.h>

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
  // Connections open, and whether accepting waits for one of them to close (at the cap).
  std::atomic<std::size_t> open{0};
  std::atomic<bool> accepting_paused{false};
  std::function<void()> resume_accepting;  // set by the server: accepts again

  Shared(ServerOptions o, Handler h)
      : options(std::move(o)),
        handler(std::move(h)),
        workers(static_cast<std::size_t>(std::max(1, options.worker_threads))) {}
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {
    ++shared_.open;
    beast::error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = peer.address().to_string();
  }

  ~Session() {
    {
      std::lock_guard lock(shared_.sessions_mutex);
      shared_.sessions.erase(this);
    }
    --shared_.open;
    if (shared_.accepting_paused.exchange(false)) shared_.resume_accepting();
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
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  // The framing is checked before any of the body is read (RFC 9112 section 6): a body whose
  // length two headers could disagree on is refused, and the connection closed.
  void on_header(beast::error_code header_ec) {
    if (header_ec) return on_read(header_ec);
    if (auto why = framing_fault(parser_->get())) {
      return refuse(Failure(Failure::Kind::bad_request, *why));
    }
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  static std::optional<std::string> framing_fault(const http::request_header<>& header) {
    std::vector<std::string_view> lengths, encodings;
    for (const auto& field : header) {
      if (field.name() == http::field::content_length) lengths.push_back(field.value());
      if (field.name() == http::field::transfer_encoding) encodings.push_back(field.value());
    }
    for (const auto length : lengths) {
      if (length != lengths.front()) return "two different Content-Length headers";
    }
    if (encodings.empty()) return std::nullopt;
    if (!lengths.empty()) return "both Transfer-Encoding and Content-Length";
    if (encodings.size() > 1 || !beast::iequals(trimmed(encodings.front()), "chunked")) {
      return "a Transfer-Encoding other than chunked";
    }
    return std::nullopt;
  }

  static std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
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
    // Any other fault of the message itself (its framing, a chunk, a line) is malformed; a
    // connection closed or timed out before a whole request is simply closed.
    if (ec && ec.category() == beast::http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message &&
        ec != http::error::need_more && ec != http::error::need_buffer) {
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
    request.peer = peer_;
    const bool head = message.method() == http::verb::head;

    busy_ = true;
    stream_.expires_never();
    // The guard keeps the io_context running until the answer is written, even when stopping.
    auto work = net::make_work_guard(stream_.get_executor());
    net::post(shared_.workers, [self = shared_from_this(), request = std::move(request), keep_alive,
                                version, head, work = std::move(work)]() mutable {
      Response response = self->shared_.handler(request);
      net::post(self->stream_.get_executor(),
                [self, response = std::move(response), keep_alive, version, head]() mutable {
                  self->write(std::move(response), keep_alive, version, head);
                });
      work.reset();
    });
  }

  // A request refused before it could be read whole: answered, then the connection closed.
  void refuse(const Failure& failure) {
    Response response = problem_response(failure);
    response.headers.emplace_back("Cache-Control", "no-store");
    response.headers.emplace_back("X-Request-Id", refusal_id());
    write(std::move(response), false, 11, false);
  }

  // An id for an answer the server gives before any handler sees the request.
  static std::string refusal_id() {
    static std::atomic<std::uint64_t> count{0};
    return "refused-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" +
           std::to_string(++count);
  }

  // `head`: the answer to HEAD, its header alone with the length the GET's body would have.
  void write(Response response, bool keep_alive, unsigned version, bool head) {
    if (response.stream && version >= 11 && !head) {
      return write_streamed(std::move(response), keep_alive);
    }
    if (response.stream) {  // HTTP/1.0 has no chunks: the pieces are gathered into one body
      auto next = response.stream();
      while (auto piece = next()) response.body += *piece;
    }
    if (head) {
      auto message = message_for<http::empty_body>(response, version, keep_alive);
      message->content_length(response.body.size());
      return write_whole(message);
    }
    auto message = message_for<http::string_body>(response, version, keep_alive);
    message->body() = std::move(response.body);
    message->prepare_payload();
    write_whole(message);
  }

  // A message with the response's status and headers, and no body yet.
  template <class Body>
  std::shared_ptr<http::response<Body>> message_for(const Response& response, unsigned version,
                                                    bool keep_alive) {
    auto message =
        std::make_shared<http::response<Body>>(static_cast<http::status>(response.status), version);
    message->set(http::field::server, "careledger");
    message->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) message->set(name, value);
    message->keep_alive(keep_alive && !shared_.stopping);
    return message;
  }

  // Writes the message whole, then reads the next request or closes.
  template <class Body>
  void write_whole(std::shared_ptr<http::response<Body>> message) {
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
    auto header = message_for<http::empty_body>(response, 11, keep_alive);
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
  std::string peer_;  // the client's address
  bool busy_ = false;
};

// The connections to allow at once when not told: what the process may open, less room for a
// reader connection per worker (the database and its -wal each) and a few more (the writer,
// the listening socket, standard streams).
std::size_t default_max_connections(int worker_threads) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 4096;
  const auto files = static_cast<std::size_t>(limit.rlim_cur);
  const auto reserved = 2 * static_cast<std::size_t>(std::max(1, worker_threads)) + 32;
  return files > 2 * reserved ? files - reserved : std::max<std::size_t>(files / 2, 1);
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, Handler handler)
      : shared(std::move(options), std::move(handler)),
        ioc(std::max(1, shared.options.io_threads)),
        acceptor(net::make_strand(ioc)),
        signals(ioc),
        backoff(acceptor.get_executor()) {
    if (shared.options.max_connections == 0) {
      shared.options.max_connections = default_max_connections(shared.options.worker_threads);
    }
    shared.resume_accepting = [this] { net::post(acceptor.get_executor(), [this] { accept(); }); };
    const tcp::endpoint endpoint{net::ip::make_address(shared.options.bind), shared.options.port};
    acceptor.open(endpoint.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(net::socket_base::max_listen_connections);
    bound_port = acceptor.local_endpoint().port();
    address = shared.options.bind;
  }

  // Sessions the io_context still holds end as it is destroyed, after the acceptor is: none may
  // ask it to accept again by then.
  ~Impl() {
    shared.resume_accepting = [] {};
  }

  // On the acceptor's strand. At the cap, accepting waits until a connection closes (new ones
  // queue in the listen backlog); out of descriptors, it waits a moment rather than spin.
  void accept() {
    if (!acceptor.is_open()) return;
    if (shared.open >= shared.options.max_connections) {
      shared.accepting_paused = true;
      // A connection that closed meanwhile saw no pause: look again.
      if (shared.open >= shared.options.max_connections ||
          !shared.accepting_paused.exchange(false)) {
        return;
      }
    }
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor.is_open()) return;  // stopped
        if (ec == net::error::no_descriptors || ec == boost::system::errc::too_many_files_open ||
            ec == boost::system::errc::too_many_files_open_in_system ||
            ec == net::error::no_buffer_space || ec == net::error::no_memory) {
          backoff.expires_after(std::chrono::milliseconds(100));
          backoff.async_wait([this](beast::error_code) { accept(); });
          return;
        }
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
      backoff.cancel();
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
  net::steady_timer backoff;  // after running out of descriptors
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
