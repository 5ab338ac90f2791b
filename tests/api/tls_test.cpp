// The server over TLS, as a client meets it: a throwaway self-signed certificate for 127.0.0.1
// (made here with OpenSSL), HTTPS answered as HTTP is, TLS 1.1 and plain HTTP refused without
// stopping the server, files that do not fit refused at start, and a stop that still lets the
// answer in flight out.
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>

#include "api/server.hpp"
#include "tests/support/temp_dir.hpp"

namespace careledger::api {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

// ------------------------------------------------------------------ a throwaway certificate

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

Key new_key() {
  Key key(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  if (!key) throw std::runtime_error("EVP_EC_gen failed");
  return key;
}

template <class Write>
std::string pem(Write write) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || write(bio.get()) != 1) throw std::runtime_error("writing PEM failed");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string key_pem(EVP_PKEY* key) {
  return pem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
}

// Self-signed, for an hour, naming 127.0.0.1 as its common name and its subjectAltName.
std::string certificate_pem(EVP_PKEY* key) {
  std::unique_ptr<X509, decltype(&X509_free)> x509(X509_new(), &X509_free);
  X509* cert = x509.get();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* san =
      X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "IP:127.0.0.1");
  if (!san || X509_add_ext(cert, san, -1) != 1) throw std::runtime_error("subjectAltName failed");
  X509_EXTENSION_free(san);
  if (X509_sign(cert, key, EVP_sha256()) == 0) throw std::runtime_error("X509_sign failed");
  return pem([&](BIO* bio) { return PEM_write_bio_X509(bio, cert); });
}

void write_file(const std::string& path, const std::string& text) {
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "wb"),
                                                          &std::fclose);
  if (!file || std::fwrite(text.data(), 1, text.size(), file.get()) != text.size()) {
    throw std::runtime_error("cannot write " + path);
  }
}

// A certificate and its key, as files in a directory of the test's own.
struct Credentials {
  testing::TempDir dir;
  std::string certificate;  // PEM, for the clients to trust
  TlsFiles files{dir.file("cert.pem"), dir.file("key.pem")};

  Credentials() {
    const Key key = new_key();
    certificate = certificate_pem(key.get());
    write_file(files.certificate_chain, certificate);
    write_file(files.private_key, key_pem(key.get()));
  }
};

// ------------------------------------------------------------------ the server and its clients

Response answer(const Request& request) {
  if (request.path == "/pieces") {  // a streamed (chunked) answer
    Response response{200, "text/plain", "", {}, {}, {}};
    response.stream = [] {
      return NextPiece([n = 0]() mutable -> std::optional<std::string> {
        if (n == 3) return std::nullopt;
        return "piece " + std::to_string(n++) + ";";
      });
    };
    return response;
  }
  return Response{200, "text/plain", "hello " + request.path + " from " + request.peer, {}, {}, {}};
}

// A server on a free port, speaking TLS with the credentials, serving until it is destroyed.
struct TlsServer {
  Credentials credentials;
  std::unique_ptr<Server> server;
  std::thread serving;

  explicit TlsServer(ServerOptions options = {}, Handler handler = answer) {
    options.port = 0;
    options.tls = credentials.files;
    server = std::make_unique<Server>(options, std::move(handler));
    serving = std::thread([this] { server->run(); });
  }
  ~TlsServer() { stop(); }
  void stop() {
    server->stop();
    if (serving.joinable()) serving.join();
  }
  unsigned short port() const { return server->port(); }
};

// A client context that trusts `certificate` alone.
ssl::context trusting(const std::string& certificate) {
  ssl::context context(ssl::context::tls_client);
  context.add_certificate_authority(net::buffer(certificate));
  context.set_verify_mode(ssl::verify_peer);
  return context;
}

// A blocking HTTPS client on one connection, checking that the certificate names 127.0.0.1.
class HttpsClient {
 public:
  HttpsClient(ssl::context& context, unsigned short port) : stream_(ioc_, context) {
    stream_.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    beast::get_lowest_layer(stream_).connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }

  beast::error_code handshake() {
    beast::error_code ec;
    stream_.handshake(ssl::stream_base::client, ec);
    return ec;
  }

  http::response<http::string_body> send(http::request<http::string_body> request) {
    request.set(http::field::host, "127.0.0.1");
    request.prepare_payload();
    http::write(stream_, request);
    http::response<http::string_body> response;
    http::read(stream_, buffer_, response);
    return response;
  }

  http::response<http::string_body> get(const std::string& target) {
    return send(http::request<http::string_body>(http::verb::get, target, 11));
  }

  // What reading gives once the server has closed: eof after its close_notify, stream_truncated
  // without one.
  beast::error_code read_error() {
    char byte = 0;
    beast::error_code ec;
    stream_.read_some(net::buffer(&byte, 1), ec);
    return ec;
  }

  // The TLS close: both sides' close_notify.
  beast::error_code shutdown() {
    beast::error_code ec;
    stream_.shutdown(ec);
    return ec;
  }

 private:
  net::io_context ioc_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

// What a proper client gets from the server: the handler's answer.
std::string served(const TlsServer& server) {
  auto context = trusting(server.credentials.certificate);
  HttpsClient client(context, server.port());
  if (auto ec = client.handshake()) return "handshake failed: " + ec.message();
  return client.get("/again").body();
}

// Everything the server sends on a plain TCP connection after `bytes`, until it hangs up.
std::string plain_exchange(unsigned short port, const std::string& bytes) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect({net::ip::make_address("127.0.0.1"), port});
  if (!bytes.empty()) net::write(socket, net::buffer(bytes));
  std::string received;
  char block[1024];
  beast::error_code ec;
  while (!ec) {
    const auto n = socket.read_some(net::buffer(block), ec);
    received.append(block, n);
  }
  return received;
}

// ------------------------------------------------------------------ the tests

TEST(Tls, AClientThatTrustsTheCertificateIsAnsweredOverHttps) {
  TlsServer server;
  auto context = trusting(server.credentials.certificate);
  HttpsClient client(context, server.port());
  ASSERT_FALSE(client.handshake());
  auto response = client.get("/healthz");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "hello /healthz from 127.0.0.1");
  EXPECT_TRUE(response.keep_alive());
  // The same connection goes on serving, a streamed answer too.
  response = client.get("/pieces");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_TRUE(response.chunked());
  EXPECT_EQ(response.body(), "piece 0;piece 1;piece 2;");
  EXPECT_FALSE(client.shutdown());
}

TEST(Tls, TheLimitsOfThePlainServerHoldOverTls) {
  ServerOptions options;
  options.header_limit = 1024;
  options.body_limit = 16;
  TlsServer server(options);
  auto context = trusting(server.credentials.certificate);
  {
    HttpsClient client(context, server.port());
    ASSERT_FALSE(client.handshake());
    http::request<http::string_body> request(http::verb::get, "/", 11);
    request.set("X-Padding", std::string(2000, 'x'));
    const auto response = client.send(request);
    EXPECT_EQ(response.result_int(), 431);
    EXPECT_FALSE(response.keep_alive());
  }
  {
    HttpsClient client(context, server.port());
    ASSERT_FALSE(client.handshake());
    http::request<http::string_body> request(http::verb::post, "/", 11);
    request.body() = std::string(17, 'x');
    EXPECT_EQ(client.send(request).result_int(), 413);
  }
}

TEST(Tls, AClientAllowedNoMoreThanTls11IsRefusedAtTheHandshake) {
  TlsServer server;
  auto context = trusting(server.credentials.certificate);
  // Security level 0, or the client's own OpenSSL would not even offer TLS 1.1.
  SSL_CTX_set_security_level(context.native_handle(), 0);
  ASSERT_EQ(SSL_CTX_set_max_proto_version(context.native_handle(), TLS1_1_VERSION), 1);
  HttpsClient client(context, server.port());
  const auto ec = client.handshake();
  ASSERT_TRUE(ec);
  // Refused by the server, with its protocol_version alert, not by the client.
  EXPECT_EQ(ec.category(), net::error::get_ssl_category()) << ec.message();
  EXPECT_EQ(ERR_GET_REASON(static_cast<unsigned long>(ec.value())),
            SSL_R_TLSV1_ALERT_PROTOCOL_VERSION)
      << ec.message();
  EXPECT_EQ(served(server), "hello /again from 127.0.0.1");
}

TEST(Tls, PlainHttpToTheTlsPortGetsNoHttpAnswerAndTheServerGoesOn) {
  TlsServer server;
  const auto received =
      plain_exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(received.find("HTTP/"), std::string::npos) << received;
  EXPECT_EQ(served(server), "hello /again from 127.0.0.1");
}

TEST(Tls, AClientThatRejectsTheCertificateOnlyLosesItsOwnConnection) {
  TlsServer server;
  const Credentials other;  // a certificate the server does not have
  auto context = trusting(other.certificate);
  HttpsClient client(context, server.port());
  EXPECT_TRUE(client.handshake());
  EXPECT_EQ(served(server), "hello /again from 127.0.0.1");
}

TEST(Tls, AConnectionThatNeverStartsTheHandshakeIsClosedAfterTheReadTimeout) {
  ServerOptions options;
  options.read_timeout = std::chrono::seconds(1);
  TlsServer server(options);
  EXPECT_EQ(plain_exchange(server.port(), ""), "");  // returns once the server hangs up
  EXPECT_EQ(served(server), "hello /again from 127.0.0.1");
}

TEST(Tls, StoppingLetsARequestInFlightFinishAndBeAnsweredOverTls) {
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  TlsServer server({}, [&](const Request& request) {
    entered.set_value();
    released.wait();  // the handler is still working when stop() is called
    return answer(request);
  });
  auto context = trusting(server.credentials.certificate);
  HttpsClient client(context, server.port());
  ASSERT_FALSE(client.handshake());
  auto answered = std::async(std::launch::async, [&] { return client.get("/slow"); });
  entered.get_future().wait();
  server.server->stop();
  release.set_value();

  const auto response = answered.get();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "hello /slow from 127.0.0.1");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_FALSE(client.shutdown());  // the server closes with its close_notify
  server.serving.join();            // run() returns once the answer is out
}

TEST(Tls, StoppingClosesAnIdleTlsConnectionWithCloseNotifyAndWithoutWaitingForTheClient) {
  ServerOptions options;
  options.read_timeout = std::chrono::seconds(60);
  TlsServer server(options);
  auto context = trusting(server.credentials.certificate);
  HttpsClient idle(context, server.port());
  ASSERT_FALSE(idle.handshake());
  EXPECT_EQ(idle.get("/").result_int(), 200);
  const auto before = std::chrono::steady_clock::now();
  server.stop();  // `idle` reads nothing meanwhile: it never answers the close_notify
  // Far less than the 5 s a closing connection may wait for the client's close_notify.
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(3));
  EXPECT_EQ(idle.read_error(), net::error::eof);  // the server's close_notify, then its close
}

// The message of what constructing a server with `files` throws, or "" if it does not.
std::string refusal(const TlsFiles& files) {
  ServerOptions options;
  options.port = 0;
  options.tls = files;
  try {
    Server server(options, answer);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(Tls, AKeyThatDoesNotMatchTheCertificateIsRefusedAtStart) {
  const Credentials credentials;
  const Key other = new_key();
  const std::string other_key = credentials.dir.file("other-key.pem");
  write_file(other_key, key_pem(other.get()));
  EXPECT_EQ(refusal({credentials.files.certificate_chain, other_key}),
            "TLS key " + other_key + " does not match the certificate in " +
                credentials.files.certificate_chain);
}

TEST(Tls, AFileMissingOrNotPemIsRefusedAtStartByName) {
  const Credentials credentials;
  const std::string missing = credentials.dir.file("missing.pem");
  EXPECT_EQ(refusal({missing, credentials.files.private_key}),
            "TLS certificate " + missing + ": cannot read it: No such file or directory");
  EXPECT_EQ(refusal({credentials.files.certificate_chain, missing}),
            "TLS key " + missing + ": cannot read it: No such file or directory");
  // The files the wrong way round: a key is no certificate, a certificate no key.
  EXPECT_EQ(refusal({credentials.files.private_key, credentials.files.private_key})
                .rfind("TLS certificate " + credentials.files.private_key +
                           ": not a PEM certificate chain",
                       0),
            0u);
  EXPECT_EQ(
      refusal({credentials.files.certificate_chain, credentials.files.certificate_chain}),
      "TLS key " + credentials.files.certificate_chain + ": not an unencrypted PEM private key");
}

}  // namespace
}  // namespace careledger::api
