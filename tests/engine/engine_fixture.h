// Shared pieces of the engine integration tests: a stampede-testserver child process on an
// ephemeral port, a temp folder holding the Lua script and the --out folder, and a runner that
// starts the real stampede binary with a hard deadline and captures its exit code and output.
// Every helper is used from one test thread; nothing here is thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace stampede::engine_test {

// A running stampede-testserver bound to 127.0.0.1 on a port the kernel picked. Started by the
// constructor (ok() says whether it came up within 5 s); SIGTERM'd and reaped on destruction
// (SIGKILL if it does not exit within 3 s). Not copyable.
class TestServer {
 public:
  TestServer();
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // True once the server wrote its port file; false if it failed to start in time.
  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  // "http://127.0.0.1:PORT" with no trailing slash.
  std::string base_url() const;
  // GET /stats decoded: {"requests": N, "by_path": {...}}; a JSON null if the request failed.
  nlohmann::json stats() const;
  // POST /stats/reset; false if the server did not answer 200.
  bool reset_stats() const;
  // Sends one raw HTTP/1.0 request and returns the whole reply ("" on a socket error).
  std::string raw_request(const std::string& request) const;

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A loopback TCP port that refuses connections: a socket bound to 127.0.0.1:0 that never
// listens, held until destruction so no other process can take the port meanwhile.
class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;

  // 0 when the socket could not be bound.
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A fresh folder under the test temp dir, removed (recursively) on destruction. Not copyable.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/name (parent folders created); returns the full path as text.
  std::string write(const std::string& name, const std::string& content) const;
  // path()/"out": the folder passed to --out.
  std::string out_dir() const { return (path_ / "out").string(); }

 private:
  std::filesystem::path path_;
};

// What one stampede process did. exit_code is the exit status, or -1 when it was killed by a
// signal (then term_signal is set); timed_out is true when run_stampede had to kill it.
struct RunResult {
  int exit_code = -1;
  int term_signal = 0;
  bool timed_out = false;
  std::string out;  // stdout
  std::string err;  // stderr
  std::chrono::milliseconds elapsed{0};
};

// A stampede child process with stdout/stderr redirected to files in `capture_dir`. Started by
// the constructor (started() is false if posix_spawn failed); killed with SIGKILL and reaped on
// destruction if still running. Not copyable.
class StampedeProcess {
 public:
  StampedeProcess(const std::vector<std::string>& args, const std::filesystem::path& capture_dir);
  ~StampedeProcess();
  StampedeProcess(const StampedeProcess&) = delete;
  StampedeProcess& operator=(const StampedeProcess&) = delete;

  bool started() const { return pid_ > 0; }
  // Sends `signal` to the process if it is still running.
  void signal(int signal) const;
  // Waits for the exit, at most `timeout` (then SIGKILL, timed_out = true); collects output.
  RunResult wait(std::chrono::milliseconds timeout);

 private:
  std::filesystem::path out_path_;
  std::filesystem::path err_path_;
  pid_t pid_ = -1;
  std::chrono::steady_clock::time_point start_;
};

// Runs `stampede ARGS...` to completion, killing it after `timeout` (default 30 s). Output is
// captured through files in `dir`.
RunResult run_stampede(const std::vector<std::string>& args, const TempDir& dir,
                       std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Writes `script` as dir/"script.lua" and runs `stampede run --quiet --out DIR/out script.lua`
// followed by `extra` flags.
RunResult run_script(const TempDir& dir, const std::string& script,
                     const std::vector<std::string>& extra = {},
                     std::chrono::milliseconds timeout = std::chrono::seconds(30));

// dir/out/summary.json decoded; a JSON null when it is missing or not valid JSON.
nlohmann::json load_summary(const TempDir& dir);

// Sends `request` (raw bytes) to 127.0.0.1:port and returns everything the server sent back
// until it closed the connection (5 s receive timeout); "" when the connection failed.
std::string raw_http(int port, const std::string& request);

// Reads a whole file; "" when it cannot be opened.
std::string read_text(const std::filesystem::path& path);

// Prints a RunResult for failure messages: exit code, timing and both streams.
std::string describe(const RunResult& result);

// summary["metrics"][metric][field] as a number; NaN when any part is missing.
double metric_field(const nlohmann::json& summary, const std::string& metric,
                    const std::string& field);

// Passes and fails of one check, from summary.json's root_group.checks.
struct CheckCounts {
  int64_t passes = -1;  // -1: no such check
  int64_t fails = -1;
};

// root_group.checks entry named `name` (searched at any depth of nested groups).
CheckCounts check_counts(const nlohmann::json& summary, const std::string& name);

// One line per check that failed at least once ("" when none did), for failure messages.
std::string failed_checks(const nlohmann::json& summary);

// "local BASE = 'http://127.0.0.1:PORT'\n" followed by `body`: a script aimed at `server`.
std::string with_base(const TestServer& server, const std::string& body);

}  // namespace stampede::engine_test
