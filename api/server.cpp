// With request_reading.cpp, the only translation units that include Beast and Asio:
// template-heavy code is compiled once.
// The session is a template over the stream, instantiated here for TCP and for TLS.
#include "api/server.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include <sys/resource.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>

#include "api/problem.hpp"
#include "api/request_reading.hpp"
#include "api/spool.hpp"

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

[[noreturn]] void tls_refused(const std::string& what) {
  ERR_clear_error();  // nothing of this failure left for a later call on this thread to find
  throw std::runtime_error(what);
}

using File = std::unique_ptr<std::FILE, decltype(&std::fclose)>;

File open_file(const std::string& path, const std::string& what) {
  File file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) tls_refused(what + " " + path + ": cannot read it: " + std::strerror(errno));
  return file;
}

std::string file_text(const std::string& path, const std::string& what) {
  const File file = open_file(path, what);
  std::string text;
  char block[4096];
  while (const auto n = std::fread(block, 1, sizeof block, file.get())) text.append(block, n);
  if (std::ferror(file.get())) {
    tls_refused(what + " " + path + ": cannot read it: " + std::strerror(errno));
  }
  return text;
}

// An encrypted key is refused rather than its passphrase asked for on a terminal.
int no_passphrase(char*, int, int, void*) {
  return -1;
}

// The certificate chain and key are read at start, so that a file missing, unreadable or not
// matching stops the server there, naming the file, rather than failing every handshake.
net::ssl::context tls_context(const TlsFiles& files) {
  net::ssl::context context(net::ssl::context::tls_server);
  context.set_options(net::ssl::context::no_sslv2 | net::ssl::context::no_sslv3 |
                      net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1 |
                      net::ssl::context::default_workarounds | net::ssl::context::single_dh_use);
  const std::string chain = file_text(files.certificate_chain, "TLS certificate");
  beast::error_code ec;
  context.use_certificate_chain(net::buffer(chain), ec);
  if (ec) {
    tls_refused("TLS certificate " + files.certificate_chain + ": not a PEM certificate chain (" +
                ec.message() + ")");
  }
  // Opened here rather than by OpenSSL, so that a refusal says why, as for the certificate.
  const File key_file = open_file(files.private_key, "TLS key");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_fp(key_file.get(), BIO_NOCLOSE), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr) : nullptr,
      &EVP_PKEY_free);
  if (!key) tls_refused("TLS key " + files.private_key + ": not an unencrypted PEM private key");
  // Checked here, where both files can be named: OpenSSL's own refusal names neither.
  if (X509_check_private_key(SSL_CTX_get0_certificate(context.native_handle()), key.get()) != 1) {
    tls_refused("TLS key " + files.private_key + " does not match the certificate in " +
                files.certificate_chain);
  }
  if (SSL_CTX_use_PrivateKey(context.native_handle(), key.get()) != 1) {
    tls_refused("TLS key " + files.private_key + ": OpenSSL refused it");
  }
  return context;
}

class Connection;

struct Shared {
  ServerOptions options;
  Handler handler;
  net::thread_pool workers;
  std::optional<net::ssl::context> tls;  // when serving HTTPS
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::map<Connection*, std::weak_ptr<Connection>> sessions;
  // Connections open, and whether accepting waits for one of them to close (at the cap).
  std::atomic<std::size_t> open{0};
  std::atomic<bool> accepting_paused{false};
  std::atomic<std::size_t> uploads{0};     // admitted uploads not yet answered
  std::function<void()> resume_accepting;  // set by the server: accepts again

  Shared(ServerOptions o, Handler h)
      : options(std::move(o)),
        handler(std::move(h)),
        workers(static_cast<std::size_t>(std::max(1, options.worker_threads))) {}
};

// A connection as the cap and stop() see it, whatever it speaks over.
class Connection {
 public:
  explicit Connection(Shared& shared) : shared_(shared) { ++shared_.open; }

  virtual ~Connection() {
    {
      std::lock_guard lock(shared_.sessions_mutex);
      shared_.sessions.erase(this);
    }
    --shared_.open;
    if (shared_.accepting_paused.exchange(false)) shared_.resume_accepting();
  }

  // Called on stop: an idle connection is closed now, a busy one after its answer.
  virtual void close_if_idle() = 0;

 protected:
  Shared& shared_;
};

// A client that never answers the server's close_notify holds its connection, and a stop, no
// longer than this (nor than the read timeout).
constexpr std::chrono::seconds tls_shutdown_limit{5};

// A client refused before its body was read may go on sending it this long (nor longer than the
// read timeout) while it is read and dropped, so that it can read the refusal.
constexpr std::chrono::seconds lingering_limit{5};

// An upload's body is read and written to its spool this many bytes at a time.
constexpr std::size_t upload_piece_bytes = 64 * 1024;

// One connection's requests, one after another, over beast::tcp_stream or, for HTTPS,
// beast::ssl_stream<beast::tcp_stream>: the same code but for the handshake and the close, so
// that limits, timeouts and shutdown cannot come to differ between the two.
template <class Stream>
class Session : public Connection, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool tls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  // `context...`: the TLS context, for an ssl_stream.
  template <class... Context>
  Session(tcp::socket&& socket, Shared& shared, Context&... context)
      : Connection(shared), stream_(std::move(socket), context...) {
    beast::error_code ec;
    const auto peer = transport().socket().remote_endpoint(ec);
    if (!ec) peer_ = peer.address().to_string();
  }

  void start() {
    {
      std::lock_guard lock(shared_.sessions_mutex);
      shared_.sessions[this] = this->weak_from_this();
    }
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->begin(); });
  }

  // Whatever waits on the client (a handshake, a read, a refusal being written, the TLS close)
  // ends with operation_aborted, and its handler closes the connection.
  void close_if_idle() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->busy_) return;
      self->dropped_idle_ = true;
      self->transport().cancel();
    });
  }

 private:
  beast::tcp_stream& transport() { return beast::get_lowest_layer(stream_); }

  void begin() {
    if constexpr (tls) {
      // Under the read timeout, as a request is: a client that connects and says nothing is
      // dropped. One that fails the handshake (plain HTTP, a refused certificate, TLS 1.1) is
      // dropped too, with no TLS close: there is no TLS session to close.
      transport().expires_after(shared_.options.read_timeout);
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->end();
                                self->secured_ = true;
                                self->read();
                              });
    } else {
      read();
    }
  }

  void read() {
    if (shared_.stopping) {
      dropped_idle_ = true;
      return close();
    }
    refusing_ = false;
    upload_slot_.reset();  // the last request's upload, if any, is answered
    upload_parser_.reset();
    upload_.reset();
    piece_.reset();
    limit(parser_.emplace(), limits());
    // The body's limit is set once the header is read, which says whether the request is an
    // upload, with a limit of its own (Beast would otherwise refuse an upload's Content-Length
    // as the header ends).
    parser_->body_limit(boost::none);
    transport().expires_after(shared_.options.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_header(ec);
                            });
  }

  // The framing is checked before any of the body is read (request_reading.hpp): a body whose
  // length is uncertain is refused, and the connection closed. So is one whose declared length
  // is over its limit (a chunked one is refused once it grows over it).
  void on_header(beast::error_code header_ec) {
    if (header_ec) return on_read(header_ec);
    if (auto why = framing_fault(parser_->get())) {
      return refuse(Failure(Failure::Kind::bad_request, *why));
    }
    if (shared_.options.upload_limit) {
      Request header = header_of(parser_->get(), peer_);
      if (const auto upload_limit = shared_.options.upload_limit(header)) {
        return admit(std::move(header), *upload_limit);
      }
    }
    if (auto refusal = over_limit(limits())) return refuse(*refusal);
    parser_->body_limit(shared_.options.body_limit);
    continue_then([self = this->shared_from_this()] {
      http::async_read(self->stream_, self->buffer_, *self->parser_,
                       [self](beast::error_code ec, std::size_t) { self->on_read(ec); });
    });
  }

  std::optional<Failure> over_limit(const RequestLimits& limits) const {
    const auto length = parser_->content_length();
    if (!length || *length <= limits.body) return std::nullopt;
    return refusal_for(http::error::body_limit, limits);
  }

  // A client that waits to be told before it sends its body (Expect: 100-continue; curl does for
  // a large one) is told now that the body will be read.
  template <class Next>
  void continue_then(Next next) {
    const auto& header = parser_->get();
    if (header.version() < 11 || !beast::iequals(header[http::field::expect], "100-continue")) {
      return next();
    }
    auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
    transport().expires_after(shared_.options.read_timeout);
    http::async_write(stream_, *interim,
                      [self = this->shared_from_this(), interim, next = std::move(next)](
                          beast::error_code ec, std::size_t) mutable {
                        if (ec) return self->close();
                        next();
                      });
  }

  // An upload's header is put to admit_upload on a worker, as a request is to the handler (it
  // reads the store to know the caller), before any of its body is read.
  void admit(Request header, std::size_t upload_limit) {
    busy_ = true;
    transport().expires_never();
    auto work = net::make_work_guard(stream_.get_executor());
    net::post(shared_.workers, [self = this->shared_from_this(), header = std::move(header),
                                upload_limit, work = std::move(work)]() mutable {
      std::optional<Response> refused;
      if (self->shared_.options.admit_upload) refused = self->shared_.options.admit_upload(header);
      net::post(self->stream_.get_executor(),
                [self, refused = std::move(refused), upload_limit]() mutable {
                  self->on_admitted(std::move(refused), upload_limit);
                });
      work.reset();
    });
  }

  void on_admitted(std::optional<Response> refused, std::size_t upload_limit) {
    busy_ = false;
    if (refused) {
      refusing_ = true;
      return write(std::move(*refused), false, 11, false);
    }
    if (shared_.stopping) {  // nothing of it read yet: as a connection idle at a stop
      dropped_idle_ = true;
      return close();
    }
    upload_limit_ = upload_limit;
    if (auto refusal = over_limit(upload_limits())) return refuse(*refusal);
    // Each upload may put its whole limit on disk before it is imported: so many at once.
    if (shared_.uploads.fetch_add(1) >= shared_.options.max_uploads) {
      --shared_.uploads;
      return refuse(Failure(Failure::Kind::too_many_requests,
                            "other uploads are being read; send the file again shortly"));
    }
    upload_slot_ =
        std::shared_ptr<void>(nullptr, [&uploads = shared_.uploads](void*) { --uploads; });
    try {
      upload_ = std::make_shared<Spool>(shared_.options.spool_directory);
    } catch (const std::exception& e) {
      std::cerr << "cannot make a spool file for an upload: " << e.what() << "\n";
      return refuse(Failure(Failure::Kind::internal, "the server could not store the upload"));
    }
    continue_then([self = this->shared_from_this()] {
      // The header is read: the body is read on into a buffer of our own, a piece at a time.
      self->upload_parser_.emplace(std::move(*self->parser_));
      self->parser_.reset();
      self->upload_parser_->body_limit(self->upload_limit_);
      self->piece_ = std::make_unique<char[]>(upload_piece_bytes);
      self->read_piece();
    });
  }

  RequestLimits upload_limits() const { return {upload_limit_, shared_.options.header_limit}; }

  // Each piece is read under the read timeout: a client must keep sending (64 KiB in that time),
  // however long the whole body takes. The piece is written to the spool on this thread: a
  // write into the page cache, not a wait on the disk.
  void read_piece() {
    auto& body = upload_parser_->get().body();
    body.data = piece_.get();
    body.size = upload_piece_bytes;
    transport().expires_after(shared_.options.read_timeout);
    http::async_read(stream_, buffer_, *upload_parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_piece(ec);
                     });
  }

  void on_piece(beast::error_code ec) {
    if (ec == http::error::need_buffer) ec = {};  // the piece is full
    if (auto refusal = refusal_for(ec, upload_limits())) return refuse(*refusal);
    if (ec) return close();
    const auto got = upload_piece_bytes - upload_parser_->get().body().size;
    try {
      upload_->write(std::string_view(piece_.get(), got));
    } catch (const std::exception& e) {
      std::cerr << "cannot write an upload to its spool file: " << e.what() << "\n";
      return refuse(Failure(Failure::Kind::internal, "the server could not store the upload"));
    }
    if (!upload_parser_->is_done()) return read_piece();

    const auto& message = upload_parser_->get();
    Request request = header_of(message, peer_);
    request.upload = std::move(upload_);
    const bool keep_alive = message.keep_alive();
    const unsigned version = message.version();
    const bool head = message.method() == http::verb::head;
    upload_parser_.reset();
    piece_.reset();
    hand_over(std::move(request), keep_alive, version, head);
  }

  void on_read(beast::error_code ec) {
    if (auto refusal = refusal_for(ec, limits())) {
      return refuse(*refusal);
    }
    if (ec) return close();

    auto message = parser_->release();
    const bool keep_alive = message.keep_alive();
    const unsigned version = message.version();
    const bool head = message.method() == http::verb::head;
    hand_over(to_request(std::move(message), peer_), keep_alive, version, head);
  }

  // A request read whole goes to the handler on a worker; its answer is written back here.
  void hand_over(Request request, bool keep_alive, unsigned version, bool head) {
    busy_ = true;
    transport().expires_never();
    // The guard keeps the io_context running until the answer is written, even when stopping.
    auto work = net::make_work_guard(stream_.get_executor());
    net::post(shared_.workers, [self = this->shared_from_this(), request = std::move(request),
                                keep_alive, version, head, work = std::move(work)]() mutable {
      Response response = self->shared_.handler(request);
      net::post(self->stream_.get_executor(),
                [self, response = std::move(response), keep_alive, version, head]() mutable {
                  self->write(std::move(response), keep_alive, version, head);
                });
      work.reset();
    });
  }

  RequestLimits limits() const {
    return {shared_.options.body_limit, shared_.options.header_limit};
  }

  // A request refused before it could be read whole: answered, then the connection closed once
  // the client has had the time to read the answer (drain()).
  void refuse(const Failure& failure) {
    const auto& header = upload_parser_ ? upload_parser_->get().base() : parser_->get().base();
    Response response;
    if (shared_.options.refusal) {
      response = shared_.options.refusal(header_of(header, peer_), failure);
    } else {
      response = problem_response(failure);
      response.headers.emplace_back("Cache-Control", "no-store");
    }
    refusing_ = true;
    write(std::move(response), false, 11, false);
  }

  // After a refusal the client may still be sending the body it was refused (a large upload
  // that did not wait for 100 Continue), and a socket closed with bytes unread is reset, which
  // can destroy the answer before the client reads it. So its sending is read and dropped until
  // it closes, for a few seconds at most: never written anywhere, never parsed.
  void drain() {
    if constexpr (!tls) {  // the answer is whole: the client reads to its end and closes
      beast::error_code ec;
      transport().socket().shutdown(tcp::socket::shutdown_send, ec);
    }
    if (!piece_) piece_ = std::make_unique<char[]>(upload_piece_bytes);
    transport().expires_after(
        std::min<std::chrono::seconds>(shared_.options.read_timeout, lingering_limit));
    drain_more();
  }

  void drain_more() {
    stream_.async_read_some(net::buffer(piece_.get(), upload_piece_bytes),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->close();
                              self->drain_more();
                            });
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
    transport().expires_after(shared_.options.read_timeout);
    http::async_write(
        stream_, *message,
        [self = this->shared_from_this(), message](beast::error_code ec, std::size_t) {
          self->busy_ = false;
          if (!ec && self->refusing_) return self->drain();
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
    transport().expires_after(shared_.options.read_timeout);
    http::async_write_header(stream_, *serializer,
                             [self = this->shared_from_this(), header, serializer, next](
                                 beast::error_code ec, std::size_t) {
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
    transport().expires_after(shared_.options.read_timeout);
    if (!*piece) {
      auto last = std::make_shared<http::chunk_last<http::chunk_crlf>>(http::make_chunk_last());
      return net::async_write(
          stream_, *last,
          [self = this->shared_from_this(), last, keep_alive](beast::error_code ec, std::size_t) {
            self->busy_ = false;
            if (ec || !keep_alive) return self->close();
            self->read();
          });
    }
    auto chunk = std::make_shared<http::chunk_body<net::const_buffer>>(
        http::make_chunk(net::const_buffer((*piece)->data(), (*piece)->size())));
    net::async_write(stream_, *chunk,
                     [self = this->shared_from_this(), piece, chunk, next, keep_alive](
                         beast::error_code ec, std::size_t) {
                       if (ec) return self->close();
                       self->write_piece(next, keep_alive);
                     });
  }

  // Over TLS, close_notify first, so that the client can tell the end of the answer from a cut;
  // a client that closes without answering it (stream_truncated), or too late, is closed on all
  // the same. A connection closing is not busy: a stop need not wait for it.
  void close() {
    busy_ = false;
    upload_slot_.reset();
    if constexpr (tls) {
      if (secured_ && !closing_ && transport().socket().is_open()) {
        closing_ = true;
        // Idle at a stop, the client is owed no answer and may not read for long: its
        // close_notify is not waited for (reading ends at once), so a stop is not held up.
        if (dropped_idle_) {
          beast::error_code ec;
          transport().socket().shutdown(tcp::socket::shutdown_receive, ec);
        }
        transport().expires_after(
            std::min<std::chrono::seconds>(shared_.options.read_timeout, tls_shutdown_limit));
        return stream_.async_shutdown(
            [self = this->shared_from_this()](beast::error_code) { self->end(); });
      }
    }
    end();
  }

  void end() {
    beast::error_code ec;
    transport().socket().shutdown(tcp::socket::shutdown_send, ec);
    transport().close();
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  // An upload's body, once its header is read and it is admitted (parser_ is then empty).
  std::optional<http::request_parser<http::buffer_body>> upload_parser_;
  std::shared_ptr<Spool> upload_;
  std::size_t upload_limit_ = 0;
  std::unique_ptr<char[]> piece_;      // an upload's piece read, or bytes drained after a refusal
  std::string peer_;                   // the client's address
  bool refusing_ = false;              // the answer being written refuses a request not read whole
  std::shared_ptr<void> upload_slot_;  // held from an upload's admission until it is answered
  bool busy_ = false;
  bool secured_ = false;       // the TLS handshake is done
  bool closing_ = false;       // the TLS close has begun
  bool dropped_idle_ = false;  // closed by a stop between requests
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
    if (shared.options.tls) shared.tls.emplace(tls_context(*shared.options.tls));
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
        if (shared.tls) {
          std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(std::move(socket), shared,
                                                                          *shared.tls)
              ->start();
        } else {
          std::make_shared<Session<beast::tcp_stream>>(std::move(socket), shared)->start();
        }
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
      std::vector<std::shared_ptr<Connection>> live;
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
