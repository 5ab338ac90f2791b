// CLD.md §6 over HTTP: a CLD file as an upload. Its body is streamed to disk, and only for an
// admin whose request is otherwise sound: every other caller, media type, parameter or size is
// refused from the header alone, before any of the body is read. These tests need nothing of the
// import itself; what the import makes of a file is tested with the service.
#include "tests/api/api_fixture.hpp"

#include <chrono>
#include <optional>

#include <SQLiteCpp/Statement.h>
#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include "domain/cld.hpp"
#include "persistence/database.hpp"

namespace careledger::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

constexpr const char* import_path = "/v1/imports/cld";

// A connection of the test's own, to send a request's header and as much (or as little) of its
// body as a test wants, and read what comes back, under a timeout: an answer that waited for a
// body never sent fails the test rather than hang it.
class RawConnection {
 public:
  explicit RawConnection(unsigned short port) : stream_(ioc_) {
    stream_.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }

  void send(const std::string& bytes) {
    stream_.expires_after(std::chrono::seconds(10));
    beast::error_code result;
    net::async_write(stream_, net::buffer(bytes),
                     [&](beast::error_code ec, std::size_t) { result = ec; });
    run();
    if (result) throw beast::system_error(result);
  }

  // The next response (an interim 100 Continue is one), or nullopt when none came in time.
  std::optional<HttpResponse> read() {
    http::response_parser<http::string_body> parser;
    stream_.expires_after(std::chrono::seconds(5));
    beast::error_code result;
    http::async_read(stream_, buffer_, parser,
                     [&](beast::error_code ec, std::size_t) { result = ec; });
    run();
    if (result) return std::nullopt;
    HttpResponse out;
    out.status = static_cast<int>(parser.get().result_int());
    for (const auto& field : parser.get()) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(field.value());
    }
    out.body = parser.get().body();
    return out;
  }

  // Whether the server has closed its side: nothing more arrives, the end does.
  bool closed_by_server() {
    char byte;
    stream_.expires_after(std::chrono::seconds(5));
    beast::error_code result;
    stream_.async_read_some(net::buffer(&byte, 1),
                            [&](beast::error_code ec, std::size_t) { result = ec; });
    run();
    return result == net::error::eof;
  }

 private:
  void run() {
    ioc_.restart();
    ioc_.run();
  }
  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

// An upload's header, for a body of `length` bytes.
std::string upload_header(const std::string& token, const std::string& target, std::size_t length,
                          const std::string& content_type = "text/csv",
                          const std::string& more = "") {
  std::string header = "POST " + target + " HTTP/1.1\r\nHost: x\r\n";
  if (!token.empty()) header += "Authorization: Bearer " + token + "\r\n";
  return header + "Content-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(length) + "\r\n" + more + "\r\n";
}

class CldImportHttpTest : public ApiTest {
 protected:
  domain::Configuration configuration() const override {
    domain::Configuration config;
    config.la_code = "999";
    return config;
  }

  HttpResponse upload(const std::string& token, const std::string& target, const std::string& body,
                      const std::string& content_type = "text/csv") {
    std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", content_type}};
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return client->send("POST", target, headers, body);
  }

  long long count(const std::string& sql) const {
    auto db = persistence::open_reader(db_path);
    return db->execAndGet(sql).getInt64();
  }
};

// A CLD file of `size` bytes: a header line, then rows that are not what a CLD file holds.
std::string file_of(std::size_t size) {
  std::string file = "LA_Code,Reporting_Period_Start_Date\n";
  while (file.size() < size) file += "999,01/01/2024\n";
  file.resize(size);
  return file;
}

// CLD.md §7's person, a request, a Prison service (kept as sent, not recorded) and, when asked,
// a row with an impossible date.
std::string worked_file(bool impossible_date) {
  const std::string person =
      "999,01/01/2024,31/03/2024,9434765919,p-7f3a,,,Female,\"White - English, Welsh, Scottish, "
      "Northern Irish or British\",14/06/1948,,Service User,Physical Support: Personal care "
      "support,,,,Yes,,,,,,";
  std::string file;
  domain::cld::append_header(file);
  file += person + "Request,r-91c2,02/01/2024,03/01/2024,,Progress to Reablement/ST-Max," +
          "Discharge from Hospital,,,,,,,,,,,,,,,,,,,\r\n";
  file += person + "Service,e-1,14/02/2024,,,Provision of service,,,,,,,,,,Long Term Support: " +
          "Prison,,,,,,,,,,\r\n";
  if (impossible_date) {
    file += person + "Request,r-2,31/02/2024,03/01/2024,,Progress to Reablement/ST-Max," +
            "Discharge from Hospital,,,,,,,,,,,,,,,,,,,\r\n";
  }
  return file;
}

TEST_F(CldImportHttpTest, AnAdminsFileIsRecordedOnceAndItsUnrepresentedRowsAreKeptAsSent) {
  const auto first = upload(admin, std::string(import_path) + "?team=north", worked_file(false));
  ASSERT_EQ(first.status, 201) << first.body;
  const auto report = json::parse(first.body).as_object();
  EXPECT_EQ(report.at("rows").as_int64(), 2);
  EXPECT_EQ(report.at("recorded").as_int64(), 1);
  EXPECT_EQ(report.at("unrepresented").as_int64(), 1);
  EXPECT_EQ(report.at("refused").as_array().size(), 0u);
  const std::string id(report.at("import_id").as_string());

  const auto again = upload(admin, std::string(import_path) + "?team=north", worked_file(false));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(json::parse(again.body).at("import_id").as_string(), id);
  EXPECT_TRUE(json::parse(again.body).at("repeat").as_bool());

  const auto read = get(admin, std::string(import_path) + "/" + id);
  ASSERT_EQ(read.status, 200) << read.body;
  const auto rows = json::parse(read.body).at("unrepresented_rows").as_array();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("line").as_int64(), 3);
  EXPECT_NE(std::string(rows[0].at("row").as_string()).find("Long Term Support: Prison"),
            std::string::npos);

  // The person was added to the team, with the request.
  EXPECT_EQ(count("SELECT COUNT(*) FROM rm_people WHERE nhs_number = '9434765919' AND "
                  "team = 'north'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM rm_requests"), 1);
}

TEST_F(CldImportHttpTest, AFileWithARefusedRowIs422NamingTheLineAndRecordsNothing) {
  const auto refused = upload(admin, std::string(import_path) + "?team=north", worked_file(true));
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.header("content-type"), "application/problem+json");
  const auto list = json::parse(refused.body).at("refused").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("line").as_int64(), 4);
  EXPECT_EQ(list[0].at("field").as_string(), "Event_Start_Date");
  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), 0);

  const auto skipped =
      upload(admin, std::string(import_path) + "?team=north&on_error=skip_row", worked_file(true));
  ASSERT_EQ(skipped.status, 201) << skipped.body;
  EXPECT_EQ(json::parse(skipped.body).at("recorded").as_int64(), 1);
  EXPECT_EQ(json::parse(skipped.body).at("refused").as_array().size(), 1u);
}

TEST_F(CldImportHttpTest, AnAnalystOrPractitionerIsRefusedBeforeTheBodyIsRead) {
  for (const auto& [token, user] : {std::pair{analyst, "ana"}, std::pair{north, "nia"}}) {
    RawConnection connection(app->port());
    // 8 MiB promised, none sent: the answer comes without waiting for it.
    connection.send(upload_header(token, import_path, 8 * 1024 * 1024));
    const auto answer = connection.read();
    ASSERT_TRUE(answer) << user << ": the server waited for the body";
    EXPECT_EQ(answer->status, 403) << answer->body;
    EXPECT_EQ(answer->header("content-type"), "application/problem+json");
    EXPECT_EQ(answer->header("connection"), "close");
    EXPECT_TRUE(connection.closed_by_server());
    EXPECT_EQ(access_entry(*answer), std::string(import_path) + " 403 " + user);
  }
  EXPECT_EQ(event_count(), 0);
}

TEST_F(CldImportHttpTest, ARefusedClientThatSendsItsBodyAnywayReadsTheRefusal) {
  // The client writes all 8 MiB before it reads: the server reads and drops it rather than reset
  // the connection under it, so the refusal arrives, and the client's next request is served.
  const auto answer = upload(analyst, import_path, file_of(8 * 1024 * 1024));
  EXPECT_EQ(answer.status, 403) << answer.body;
  EXPECT_EQ(get(admin, "/v1/teams").status, 200);
  EXPECT_EQ(event_count(), 0);
}

TEST_F(CldImportHttpTest, AClientWaitingFor100ContinueIsRefusedInsteadWhenNotAnAdmin) {
  RawConnection connection(app->port());
  connection.send(
      upload_header(analyst, import_path, 1024 * 1024, "text/csv", "Expect: 100-continue\r\n"));
  const auto answer = connection.read();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 403);
}

TEST_F(CldImportHttpTest, AnAdminWaitingFor100ContinueIsToldToSendTheFile) {
  RawConnection connection(app->port());
  // 200 MiB: under the import's 256 MiB, far over the 64 KiB of other bodies.
  connection.send(
      upload_header(admin, import_path, 200 * 1024 * 1024, "text/csv", "Expect: 100-continue\r\n"));
  const auto answer = connection.read();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 100);
}

TEST_F(CldImportHttpTest, WithoutAValidTokenItIs401BeforeTheBodyIsRead) {
  for (const std::string& token : {std::string{}, std::string("not-a-token")}) {
    RawConnection connection(app->port());
    connection.send(upload_header(token, import_path, 8 * 1024 * 1024));
    const auto answer = connection.read();
    ASSERT_TRUE(answer) << "the server waited for the body";
    EXPECT_EQ(answer->status, 401);
    EXPECT_EQ(answer->header("www-authenticate"), "Bearer");
    EXPECT_EQ(access_entry(*answer), std::string(import_path) + " 401 nobody");
  }
}

TEST_F(CldImportHttpTest, AFileOver256MiBIs413BeforeItIsRead) {
  RawConnection connection(app->port());
  connection.send(upload_header(admin, import_path, 256 * 1024 * 1024 + 1, "text/csv",
                                "Expect: 100-continue\r\n"));
  const auto answer = connection.read();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 413);
  EXPECT_EQ(answer->json().at("detail"), "request body larger than 256 MiB");
}

TEST_F(CldImportHttpTest, AThirdUploadWhileTwoAreReadIs429AndNotRead) {
  // Two admitted uploads, each told to send its body (100 Continue) and holding it back.
  RawConnection first(app->port()), second(app->port());
  for (auto* connection : {&first, &second}) {
    connection->send(
        upload_header(admin, import_path, 8 * 1024 * 1024, "text/csv", "Expect: 100-continue\r\n"));
    const auto go = connection->read();
    ASSERT_TRUE(go);
    EXPECT_EQ(go->status, 100);
  }
  RawConnection third(app->port());
  third.send(
      upload_header(admin, import_path, 8 * 1024 * 1024, "text/csv", "Expect: 100-continue\r\n"));
  const auto answer = third.read();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 429);
  EXPECT_FALSE(answer->header("retry-after").empty());
  EXPECT_EQ(event_count(), 0);
}

TEST_F(CldImportHttpTest, ABodyOtherThanCsvIs415NamingContentType) {
  for (const std::string type :
       {"application/json", "text/plain", "text/csv; charset=iso-8859-1", "text/csv; charset"}) {
    const auto r = upload(admin, import_path, "{}", type);
    EXPECT_EQ(r.status, 415) << type << ": " << r.body;
    EXPECT_EQ(error_fields(r), std::vector<std::string>{"Content-Type"}) << type;
  }
  // Refused from the header: an 8 MiB body promised is not waited for.
  RawConnection connection(app->port());
  connection.send(upload_header(admin, import_path, 8 * 1024 * 1024, "application/json"));
  const auto answer = connection.read();
  ASSERT_TRUE(answer) << "the server waited for the body";
  EXPECT_EQ(answer->status, 415);
  EXPECT_EQ(event_count(), 0);
}

TEST_F(CldImportHttpTest, AnUnknownOnErrorOrDryRunIs400NamingIt) {
  for (const auto& [query, field] : {std::pair{"?on_error=bogus", "on_error"},
                                     std::pair{"?on_error=skip_row&dry_run=maybe", "dry_run"},
                                     std::pair{"?dry_run=1", "dry_run"}}) {
    const auto r = upload(admin, std::string(import_path) + query, file_of(1000));
    EXPECT_EQ(r.status, 400) << query << ": " << r.body;
    EXPECT_EQ(error_fields(r), std::vector<std::string>{field}) << query;
  }
  RawConnection connection(app->port());
  connection.send(upload_header(admin, std::string(import_path) + "?on_error=bogus", 1 << 23));
  const auto answer = connection.read();
  ASSERT_TRUE(answer) << "the server waited for the body";
  EXPECT_EQ(answer->status, 400);
}

TEST_F(CldImportHttpTest, AnUnknownTeamIs422NamingItBeforeTheBodyIsRead) {
  RawConnection connection(app->port());
  connection.send(upload_header(admin, std::string(import_path) + "?team=nowhere", 1 << 23));
  const auto answer = connection.read();
  ASSERT_TRUE(answer) << "the server waited for the body";
  EXPECT_EQ(answer->status, 422);
  EXPECT_EQ(error_fields(*answer), std::vector<std::string>{"team"});
}

TEST_F(CldImportHttpTest, AnImportUnknownIs404AndOnlyForAdmins) {
  EXPECT_EQ(get(admin, "/v1/imports/cld/cldimp_unknown").status, 404);
  EXPECT_EQ(get(analyst, "/v1/imports/cld/cldimp_unknown").status, 403);
  EXPECT_EQ(get(north, "/v1/imports/cld/cldimp_unknown").status, 403);
  const auto anonymous = client->send("GET", "/v1/imports/cld/cldimp_unknown");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(access_entry(anonymous), "/v1/imports/cld/{} 401 nobody");
}

// The limit is the API's to set (ApiOptions::upload_limit): 1 MiB here, so that a body over it
// need not be 256 MiB.
class SmallUploadTest : public CldImportHttpTest {
 protected:
  api::ApiOptions api_options() const override {
    auto options = CldImportHttpTest::api_options();
    options.upload_limit = 1024 * 1024;
    return options;
  }
};

TEST_F(SmallUploadTest, ADeclaredLengthOverTheLimitIs413BeforeTheBodyIsRead) {
  RawConnection connection(app->port());
  connection.send(upload_header(admin, import_path, 1024 * 1024 + 1));
  const auto answer = connection.read();
  ASSERT_TRUE(answer) << "the server waited for the body";
  EXPECT_EQ(answer->status, 413);
  EXPECT_EQ(answer->json().at("detail"), "request body larger than 1 MiB");
  EXPECT_EQ(answer->header("connection"), "close");
  EXPECT_EQ(access_entry(*answer), std::string(import_path) + " 413 admin");
}

TEST_F(SmallUploadTest, AChunkedBodyThatGrowsOverTheLimitIs413AndNothingIsRecorded) {
  RawConnection connection(app->port());
  connection.send("POST /v1/imports/cld HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin +
                  "\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n");
  const std::string chunk = "10000\r\n" + file_of(0x10000) + "\r\n";  // 64 KiB a chunk
  for (int i = 0; i < 24; ++i) connection.send(chunk);                // 1.5 MiB
  connection.send("0\r\n\r\n");
  const auto answer = connection.read();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 413);
  EXPECT_EQ(answer->json().at("detail"), "request body larger than 1 MiB");
  EXPECT_EQ(event_count(), 0);
}

}  // namespace
}  // namespace careledger::testing
