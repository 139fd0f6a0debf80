// Helpers of the report end-to-end tests: running a command with a deadline, a plain HTTP GET on
// loopback, a free loopback port, and waiting for a line in a growing file. One test thread;
// nothing here is thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace stampede::reports_test {

struct Command {
  int exit_code = -1;  // -1: did not run or was killed
  std::string out;     // stdout and stderr, interleaved
};

// Runs `argv` (no shell, looked up in PATH) with stdout+stderr captured, in its own process
// group; after `timeout` the whole group is killed.
Command run_command(const std::vector<std::string>& argv,
                    std::chrono::milliseconds timeout = std::chrono::seconds(60));

// GET http://127.0.0.1:PORT/PATH with HTTP/1.0; the body on a 200, "" otherwise.
std::string http_get(int port, const std::string& path, int* status = nullptr);

// A loopback port that was free a moment ago (bound to 0, then closed).
int free_port();

// Polls `path` until a line containing `needle` appears (returns that line) or `timeout` passes
// (returns "").
std::string wait_for_line(const std::filesystem::path& path, const std::string& needle,
                          std::chrono::milliseconds timeout);

// A background process (e.g. prometheus) with stdout+stderr sent to `log`. Stopped with SIGTERM
// (SIGKILL after 5 s) and reaped on destruction, also when a test fails. Not copyable.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::filesystem::path& log);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  bool started() const { return pid_ > 0; }
  // True while the process has not exited.
  bool running();

 private:
  int pid_ = -1;
};

// The width and height of a PNG file from its IHDR chunk; {0, 0} when not a PNG.
std::pair<int, int> png_size(const std::filesystem::path& path);

}  // namespace stampede::reports_test
