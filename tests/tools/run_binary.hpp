#pragma once
// Runs the built binary (CARELEDGER_BINARY, defined for tools_tests) as a user would: its
// output goes to files (no pipes to keep drained), and its exit status is what is checked.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/temp_dir.hpp"

namespace careledger::testing {

struct Run {
  int status = -1;  // the exit status, or 128 + the signal that ended it
  std::string out;
  std::string err;
};

inline std::string contents(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The exit status waitpid gave, as a shell shows it: 128 + the signal for a process killed.
inline int exit_status(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Starts careledger with `args`, its stdout and stderr written to the files `out` and `err`,
// and returns its pid (-1 if it could not fork). It is sent SIGTERM if the test's thread ends
// first, and SIGALRM after `alarm_seconds` (0: never).
inline pid_t start_careledger(const std::string& out, const std::string& err,
                              std::vector<std::string> args, unsigned alarm_seconds) {
  std::vector<char*> argv{const_cast<char*>(CARELEDGER_BINARY)};
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t child = fork();
  if (child == 0) {  // only async-signal-safe calls until exec
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out_fd < 0 || err_fd < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) _exit(127);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    alarm(alarm_seconds);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return child;
}

// Runs careledger with `args` and waits for it to end; a command that should end but hangs is
// stopped by SIGALRM after a minute.
inline Run careledger(const TempDir& dir, std::vector<std::string> args) {
  const std::string out = dir.file("stdout"), err = dir.file("stderr");
  const pid_t child = start_careledger(out, err, std::move(args), 60);
  Run run;
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child) return run;
  run.status = exit_status(status);
  run.out = contents(out);
  run.err = contents(err);
  return run;
}

}  // namespace careledger::testing
