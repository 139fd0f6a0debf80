#include "targets/local/process/child_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace stampede::local {
namespace {

// Async-signal-safe write of a message to fd 2 (used between fork and exec).
void child_write(const char* a, const char* b, const char* c) {
  for (const char* s : {a, b, c}) {
    ssize_t ignored = ::write(2, s, std::strlen(s));
    (void)ignored;
  }
}

}  // namespace

Result<pid_t> spawn_process(const SpawnSpec& spec) {
  int log_fd = ::open(spec.log_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (log_fd < 0) return Error("log " + spec.log_path + ": " + std::strerror(errno));
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  // Everything the child needs is prepared before fork: only async-signal-safe calls after it.
  std::vector<char*> argv;
  for (const std::string& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const char* dir = spec.working_dir.empty() ? nullptr : spec.working_dir.c_str();
  const char* exe = spec.executable.c_str();
  const char* cgroup = spec.cgroup_procs.empty() ? nullptr : spec.cgroup_procs.c_str();
  pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    ::close(log_fd);
    if (null_fd >= 0) ::close(null_fd);
    return Error(std::string("fork: ") + std::strerror(err));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(137);  // the supervisor is already gone
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < NSIG; ++sig) {
      if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
    }
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    // Descriptors the supervisor opened without O_CLOEXEC (sockets) must not leak into pods.
    if (::syscall(SYS_close_range, 3U, ~0U, 0U) != 0) {
      for (int fd = 3; fd < 4096; ++fd) ::close(fd);
    }
    if (cgroup != nullptr) {
      // Joins the pod's CPU-limited cgroup before exec, so the process never runs unlimited.
      int fd = ::open(cgroup, O_WRONLY | O_CLOEXEC);
      if (fd < 0 || ::write(fd, "0", 1) != 1) child_write("cgroup ", cgroup, ": cannot join\n");
      if (fd >= 0) ::close(fd);
    }
    if (dir != nullptr && ::chdir(dir) != 0) {
      child_write("chdir ", dir, ": failed\n");
      ::_exit(127);
    }
    ::execve(exe, argv.data(), envp.data());
    child_write("exec ", exe, errno == ENOENT ? ": no such file\n" : ": cannot execute\n");
    ::_exit(127);
  }
  ::close(log_fd);
  if (null_fd >= 0) ::close(null_fd);
  ::setpgid(pid, pid);  // also from the parent, so signal_group() works at once
  return pid;
}

std::string ExitStatus::describe() const {
  if (signal != 0) {
    const char* name = sigabbrev_np(signal);
    return std::string("killed by SIG") + (name != nullptr ? name : std::to_string(signal).c_str());
  }
  return "exit code " + std::to_string(code);
}

std::optional<ExitStatus> try_reap(pid_t pid) {
  int status = 0;
  pid_t r = ::waitpid(pid, &status, WNOHANG);
  if (r != pid) {
    if (r < 0 && errno == ECHILD) return ExitStatus{-1, 0};  // already reaped elsewhere
    return std::nullopt;
  }
  ExitStatus s;
  if (WIFEXITED(status)) s.code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) s.signal = WTERMSIG(status);
  return s;
}

bool signal_group(pid_t pid, int sig) {
  if (pid <= 0) return false;
  bool group = ::kill(-pid, sig) == 0;
  bool self = ::kill(pid, sig) == 0;
  return group || self;
}

Result<std::string> resolve_executable(const std::string& name, const std::string& binary_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto runnable = [&](const fs::path& p) {
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
  };
  if (name.empty()) return Error("executable: empty name");
  if (name[0] == '/') {
    if (runnable(name)) return name;
    return Error("executable '" + name + "' not found");
  }
  if (name.find('/') != std::string::npos && !binary_dir.empty()) {
    fs::path next_to = fs::path(binary_dir) / name;
    if (runnable(next_to)) return next_to.lexically_normal().string();
  }
  std::string base = fs::path(name).filename().string();
  const char* path_env = std::getenv("PATH");
  std::string path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    if (!dir.empty() && runnable(fs::path(dir) / base)) return (fs::path(dir) / base).string();
    start = end + 1;
  }
  return Error("executable '" + name + "' not found next to " +
               (binary_dir.empty() ? std::string("the stampede binary") : binary_dir) +
               " or on PATH");
}

std::vector<std::string> tail_lines(const std::string& path, size_t lines) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  std::streamoff from = size > 65536 ? size - 65536 : 0;
  in.seekg(from);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> all;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    all.push_back(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  if (from > 0 && !all.empty()) all.erase(all.begin());  // a partial first line
  if (all.size() > lines) all.erase(all.begin(), all.end() - static_cast<std::ptrdiff_t>(lines));
  return all;
}

Result<uint16_t> pick_free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    ::close(fd);
    return Error(std::string("pick a free port: ") + std::strerror(err));
  }
  ::close(fd);
  return static_cast<uint16_t>(ntohs(addr.sin_port));
}

}  // namespace stampede::local
