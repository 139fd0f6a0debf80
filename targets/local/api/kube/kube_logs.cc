#include "targets/local/api/kube/kube_logs.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>

namespace stampede::local::kube {
namespace {

constexpr int64_t kChunk = 64 << 10;
constexpr size_t kMaxPending = 1 << 20;  // per stream: the file is read on as the client reads

}  // namespace

void LogIndex::set(std::map<std::string, PodLogInfo> pods) {
  std::lock_guard lock(mu_);
  pods_ = std::move(pods);
}

std::optional<PodLogInfo> LogIndex::find(const std::string& pod) const {
  std::lock_guard lock(mu_);
  auto it = pods_.find(pod);
  if (it == pods_.end()) return std::nullopt;
  return it->second;
}

int64_t file_size(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

std::string read_range(const std::string& path, int64_t begin, int64_t end, int64_t max) {
  std::string out;
  if (end <= begin || max <= 0) return out;
  std::ifstream in(path, std::ios::binary);
  if (!in) return out;
  in.seekg(begin);
  out.resize(static_cast<size_t>(std::min(end - begin, max)));
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return out;
}

int64_t tail_offset(const std::string& path, int64_t begin, int64_t end, int64_t lines) {
  if (lines <= 0) return end;
  std::ifstream in(path, std::ios::binary);
  if (!in) return begin;
  // Backwards from the end, a block at a time; a final newline ends the last line, it does not
  // start another.
  int64_t pos = end;
  int64_t seen = 0;
  bool first = true;
  std::string block;
  while (pos > begin) {
    int64_t start = std::max(begin, pos - kChunk);
    block.resize(static_cast<size_t>(pos - start));
    in.seekg(start);
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    for (int64_t i = static_cast<int64_t>(block.size()) - 1; i >= 0; --i) {
      if (first) {
        first = false;
        if (block[static_cast<size_t>(i)] == '\n') continue;
      }
      if (block[static_cast<size_t>(i)] == '\n' && ++seen == lines) return start + i + 1;
    }
    pos = start;
  }
  return begin;
}

LogRange resolve_log_range(const std::string& pod, const PodLogInfo& info, const LogQuery& q) {
  LogRange r;
  if (!q.container.empty() && q.container != info.container) {
    r.code = 400;
    r.error = "container " + q.container + " is not valid for pod " + pod;
    return r;
  }
  if (!info.started) {
    r.code = 400;
    r.error = "container \"" + info.container + "\" in pod \"" + pod +
              "\" is waiting to start: ContainerCreating";
    return r;
  }
  if (q.previous) {
    if (info.previous_offset < 0) {
      r.code = 400;
      r.error = "previous terminated container \"" + info.container + "\" in pod \"" + pod +
                "\" not found";
      return r;
    }
    r.begin = info.previous_offset;
    r.end = info.offset;
  } else {
    r.begin = info.offset;
    r.end = q.follow && info.running ? -1 : file_size(info.path);
  }
  if (q.tail_lines) {
    int64_t end = r.end < 0 ? file_size(info.path) : r.end;
    r.begin = tail_offset(info.path, r.begin, end, *q.tail_lines);
  }
  return r;
}

LogStreamer::LogStreamer(const LogIndex& index) : index_(index) {
  thread_ = std::thread([this] { run(); });
}

LogStreamer::~LogStreamer() {
  stop();
}

std::shared_ptr<http::ResponseStream> LogStreamer::stream(const std::string& pod,
                                                          const std::string& path, int64_t begin,
                                                          int64_t end, int64_t limit,
                                                          int restarts) {
  Follow f{pod, path, begin, end, limit, restarts, std::make_shared<http::ResponseStream>()};
  auto stream = f.stream;
  std::lock_guard lock(mu_);
  if (stopped_) {
    stream->end();
  } else {
    incoming_.push_back(std::move(f));
  }
  return stream;
}

void LogStreamer::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  if (thread_.joinable()) thread_.join();
  for (Follow& f : active_) f.stream->end();
  active_.clear();
  for (Follow& f : incoming_) f.stream->end();
  incoming_.clear();
}

bool LogStreamer::pump(Follow& f) {
  if (f.stream->closed()) return false;
  for (;;) {
    if (f.stream->pending_bytes() > kMaxPending) return true;  // the client reads slowly
    int64_t until = f.end >= 0 ? f.end : file_size(f.path);
    int64_t want = std::min(until - f.at, kChunk);
    if (f.left >= 0) want = std::min(want, f.left);
    if (want <= 0) break;
    std::string chunk = read_range(f.path, f.at, f.at + want, want);
    if (chunk.empty()) break;
    f.at += static_cast<int64_t>(chunk.size());
    if (f.left >= 0) f.left -= static_cast<int64_t>(chunk.size());
    if (!f.stream->write(std::move(chunk))) return false;
  }
  bool done = f.left == 0 || (f.end >= 0 && f.at >= f.end);
  if (!done && f.end < 0) {
    // Following: once that container no longer runs, its output ends where the next container's
    // begins (or at the end of the file); what is left of it goes out, then the stream ends.
    auto info = index_.find(f.pod);
    if (!info) {
      f.end = file_size(f.path);
    } else if (info->restarts != f.restarts) {
      f.end = std::max(f.at, info->offset);
    } else if (!info->running) {
      f.end = file_size(f.path);
    }
    return true;
  }
  if (done) {
    f.stream->end();
    return false;
  }
  return true;
}

void LogStreamer::run() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
      active_.splice(active_.end(), incoming_);
    }
    for (auto it = active_.begin(); it != active_.end();) {
      it = pump(*it) ? std::next(it) : active_.erase(it);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace stampede::local::kube
