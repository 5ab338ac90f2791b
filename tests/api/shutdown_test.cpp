// The HTTP server on its own, with handlers the test controls: stopping lets a request in
// flight finish and be answered, and idle or silent connections are closed.
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio.hpp>

#include "api/server.hpp"
#include "tests/support/http_client.hpp"

namespace careledger::api {
namespace {

TEST(Server, StoppingLetsARequestInFlightFinishAndBeAnswered) {
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  ServerOptions options;
  options.port = 0;
  Server server(options, [&](const Request&) {
    entered.set_value();
    released.wait();  // the handler is still working when stop() is called
    return Response{200, "application/json", R"({"done":true})", {}, {}, {}};
  });
  std::thread serving([&] { server.run(); });

  testing::HttpClient client(server.port());
  auto answer = std::async(std::launch::async, [&] { return client.send("GET", "/slow"); });
  entered.get_future().wait();
  server.stop();
  release.set_value();

  auto response = answer.get();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"done":true})");
  EXPECT_EQ(response.header("connection"), "close");
  serving.join();  // run() returns once the answer is out
}

TEST(Server, StoppingClosesIdleConnectionsAndRefusesNewOnes) {
  ServerOptions options;
  options.port = 0;
  Server server(options, [](const Request&) { return Response{}; });
  std::thread serving([&] { server.run(); });
  const auto port = server.port();
  testing::HttpClient idle(port);
  EXPECT_EQ(idle.send("GET", "/").status, 200);
  server.stop();
  serving.join();  // returns although `idle` is still connected

  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  boost::system::error_code ec;
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
  EXPECT_TRUE(ec);
}

TEST(Server, AConnectionThatSendsNothingIsClosedAfterTheReadTimeout) {
  ServerOptions options;
  options.port = 0;
  options.read_timeout = std::chrono::seconds(1);
  Server server(options, [](const Request&) { return Response{}; });
  std::thread serving([&] { server.run(); });

  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
  boost::asio::write(socket, boost::asio::buffer(std::string("GET / HTTP/1.1\r\n")));
  char byte = 0;
  boost::system::error_code ec;
  socket.read_some(boost::asio::buffer(&byte, 1), ec);  // blocks until the server hangs up
  EXPECT_EQ(ec, boost::asio::error::eof);

  server.stop();
  serving.join();
}

}  // namespace
}  // namespace careledger::api
