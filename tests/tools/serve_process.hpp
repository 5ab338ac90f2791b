#pragma once
// A `careledger serve` process a test starts on a store, and a connection to it: started,
// awaited until it listens, and stopped as an operator would (SIGTERM).
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/http_client.hpp"
#include "tests/tools/run_binary.hpp"

namespace careledger::testing {

struct ServeProcess {
  std::string name;
  pid_t pid = -1;
  unsigned short port = 0;
  std::string out, err;  // its standard output and error, as files
  std::unique_ptr<HttpClient> client;
};

// Starts `careledger serve --db STORE --port 0 --rate-limit 0 [OPTIONS]` as `process`, its
// output in files of `dir` named after it. The caller then awaits it (await_listening).
inline void start_serving(ServeProcess& process, const TempDir& dir, const std::string& store,
                          const std::vector<std::string>& options = {}) {
  process.out = dir.file(process.name + ".out");
  process.err = dir.file(process.name + ".err");
  std::vector<std::string> args{"serve", "--db", store, "--port", "0", "--rate-limit", "0"};
  args.insert(args.end(), options.begin(), options.end());
  process.pid = start_careledger(process.out, process.err, args, 0);
  ASSERT_GT(process.pid, 0);
}

// Waits (30 s at most) for its `listening on ADDR:PORT` line, then connects to it.
inline void await_listening(ServeProcess& process) {
  using namespace std::chrono_literals;
  static const std::regex listening(R"(listening on \S+:(\d+)\n)");
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  for (std::smatch m;;) {
    const auto out = contents(process.out);
    if (std::regex_search(out, m, listening)) {
      process.port = static_cast<unsigned short>(std::stoi(m[1]));
      break;
    }
    int status = 0;
    if (waitpid(process.pid, &status, WNOHANG) == process.pid) {
      process.pid = -1;
      FAIL() << process.name << " ended (" << exit_status(status)
             << ") before listening: " << contents(process.err);
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << process.name << " is not listening after 30 s: " << contents(process.err);
    std::this_thread::sleep_for(5ms);
  }
  process.client = std::make_unique<HttpClient>(process.port);
}

// Stops it with SIGTERM (SIGKILL after 30 s, a failure); its exit status, or -1 when it was
// not running.
inline int stop_serving(ServeProcess& process) {
  using namespace std::chrono_literals;
  process.client.reset();
  if (process.pid <= 0) return -1;
  kill(process.pid, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (waitpid(process.pid, &status, WNOHANG) != process.pid) {
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << process.name << " did not stop within 30 s of SIGTERM";
      kill(process.pid, SIGKILL);
      waitpid(process.pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(5ms);
  }
  process.pid = -1;
  return exit_status(status);
}

}  // namespace careledger::testing
