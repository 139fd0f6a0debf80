#include "targets/local/cgroup/cgroup_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <sstream>

#include "common/read_file.h"
#include "targets/local/cgroup/mountinfo.h"

namespace stampede::local::cgroupfs {
namespace {

// Owns a file descriptor; closes it on scope exit.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Status write_file(const std::string& path, const std::string& value) {
  const UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (fd.get() < 0) return Error(path + ": " + std::strerror(errno));
  ssize_t n;
  do {
    n = ::write(fd.get(), value.data(), value.size());
  } while (n < 0 && errno == EINTR);
  const int err = errno;
  if (n < 0) return Error("writing '" + value + "' to " + path + ": " + std::strerror(err));
  if (static_cast<size_t>(n) != value.size()) return Error("short write to " + path);
  return Status::Ok();
}

Status make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) return Status::Ok();
  return Error("cannot create " + path + ": " + std::strerror(errno));
}

Result<bool> remove_dir(const std::string& path) {
  if (::rmdir(path.c_str()) == 0 || errno == ENOENT) return true;
  if (errno == EBUSY) return false;
  return Error("cannot remove " + path + ": " + std::strerror(errno));
}

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

Result<std::vector<pid_t>> read_pids(const std::string& procs_file) {
  Result<std::string> text = read_text_file(procs_file);
  if (!text.ok()) return text.error();
  std::vector<pid_t> pids;
  std::istringstream in(text.value());
  long pid;
  while (in >> pid) pids.push_back(static_cast<pid_t>(pid));
  return pids;
}

Result<std::vector<std::string>> list_subdirs(const std::string& dir) {
  const std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), &::closedir);
  if (d == nullptr) return Error("cannot list " + dir + ": " + std::strerror(errno));
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d.get())) {
    const std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st;
    if (::stat((dir + "/" + name).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) names.push_back(name);
  }
  return names;
}

}  // namespace stampede::local::cgroupfs
