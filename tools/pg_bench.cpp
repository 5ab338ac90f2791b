#include "tools/pg_bench.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "persistence/pg_event_log.hpp"

namespace careledger::tools {

void run_pg_append_bench(const PgAppendBench& bench, std::ostream& out) {
  {
    persistence::pg::Connection owner(bench.owner_url);
    persistence::pg::install_log_schema(owner, bench.app_role);
  }
  std::vector<std::unique_ptr<persistence::pg::Writer>> writers;
  for (int i = 0; i < bench.writers; ++i) {
    writers.push_back(std::make_unique<persistence::pg::Writer>(bench.app_url));
  }
  std::atomic<bool> stop{false};
  std::atomic<long> appended{0}, refused{0};
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < bench.clients; ++c) {
    clients.emplace_back([&, c] {
      auto& writer = *writers[static_cast<std::size_t>(c % bench.writers)];
      for (long i = 0; !stop; ++i) {
        const auto person = "per_bench_" + std::to_string(c) + "_" + std::to_string(i);
        domain::PersonRegistered e;
        e.person_id = domain::PersonId{person};
        e.given_name = "Bench";
        e.family_name = "Person";
        e.date_of_birth = domain::parse_date("1950-01-01").value();
        e.team = domain::Team{"north"};
        e.registered_on = domain::parse_date("2024-01-01").value();
        persistence::AppendRequest request{"person-" + person,
                                           persistence::ExpectedVersion::no_stream(),
                                           {{e, e.team, e.person_id}},
                                           "bench",
                                           std::nullopt,
                                           {},
                                           std::nullopt,
                                           {}};
        try {
          const auto result = writer.append(std::move(request));
          if (std::holds_alternative<persistence::Appended>(result)) {
            ++appended;
          } else {
            ++refused;
          }
        } catch (const std::exception&) {
          ++refused;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(bench.seconds));  // the run's length
  stop = true;
  for (auto& client : clients) client.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out << boost::json::serialize(boost::json::object{
             {"clients", bench.clients},
             {"writers", bench.writers},
             {"seconds", elapsed},
             {"appends", appended.load()},
             {"appends_per_s", static_cast<double>(appended.load()) / elapsed},
             {"refused", refused.load()},
         })
      << "\n";
}

}  // namespace careledger::tools
