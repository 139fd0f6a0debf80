#include "engine/chaos/chaos_journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

namespace stampede {
namespace {

int64_t unix_ms() {
  timeval tv;
  gettimeofday(&tv, nullptr);
  return static_cast<int64_t>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
}

Status make_parent_dirs(const std::string& path) {
  std::string partial;
  size_t last = path.rfind('/');
  if (last == std::string::npos || last == 0) return Status();
  for (size_t i = 0; i <= last; ++i) {
    if (i == last || path[i] == '/') {
      if (!partial.empty() && mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
        return Error(partial + ": cannot create the folder: " + std::strerror(errno));
      }
    }
    partial += path[i];
  }
  return Status();
}

}  // namespace

std::string chaos_journal_path(const std::string& state_dir) {
  return (state_dir.empty() ? std::string(".") : state_dir) + "/chaos-journal.jsonl";
}

Result<std::vector<PendingUndo>> read_pending(const std::string& path) {
  std::ifstream in(path);
  std::vector<PendingUndo> intended;
  if (!in) {
    if (errno == ENOENT) return intended;
    return Error(path + ": cannot read: " + std::strerror(errno));
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::map<std::pair<std::string, int64_t>, bool> reverted;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    std::string where = path + ":" + std::to_string(i + 1);
    nlohmann::json j = nlohmann::json::parse(lines[i], nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      if (i + 1 == lines.size()) break;  // torn last line: written by a run that died mid-write
      return Error(where + ": not a journal entry");
    }
    // A field of the wrong type ("entry": "3") is a damaged journal, said as such, not a crash.
    std::string run, op;
    int64_t entry = 0;
    PendingUndo p;
    nlohmann::json undo;
    try {
      run = j.value("run", "");
      entry = j.value("entry", int64_t{0});
      op = j.value("op", "");
      p.action_id = j.value("action_id", "");
      p.action = j.value("action", "");
      p.platform = j.value("platform", "");
      undo = j.value("undo", nlohmann::json());
    } catch (const nlohmann::json::exception& e) {
      return Error(where + ": a field has the wrong type (" + e.what() + ")");
    }
    if (run.empty() || entry <= 0) return Error(where + ": needs \"run\" and \"entry\"");
    if (op == "intend") {
      p.run = run;
      p.entry = entry;
      auto step = undo_from_json(undo);
      if (!step.ok()) return step.error().with_context(where);
      p.step = step.value();
      intended.push_back(std::move(p));
    } else if (op == "reverted") {
      reverted[{run, entry}] = true;
    } else if (op != "applied") {
      return Error(where + ": unknown op '" + op + "'");
    }
  }
  std::vector<PendingUndo> pending;
  for (auto it = intended.rbegin(); it != intended.rend(); ++it) {
    if (!reverted.count({it->run, it->entry})) pending.push_back(*it);
  }
  return pending;
}

Result<std::unique_ptr<ChaosJournal>> ChaosJournal::open(const std::string& path, std::string run,
                                                         bool truncate) {
  Status dirs = make_parent_dirs(path);
  if (!dirs.ok()) return dirs.error();
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!fd.valid()) return Error(path + ": cannot open the chaos journal: " + std::strerror(errno));
  // One writer per journal, for as long as it is open: a second run (or `chaos revert`) on the
  // same state dir would erase or undo the faults of the live one. The kernel drops the lock
  // when the process dies, so a crashed run never blocks the revert.
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return Error(path + ": another stampede run is using this chaos journal; wait for it to " +
                   "end or use another --state-dir");
    }
    return Error(path + ": cannot lock the chaos journal: " + std::strerror(errno));
  }
  if (truncate && ::ftruncate(fd.get(), 0) != 0) {
    return Error(path + ": cannot empty the chaos journal: " + std::strerror(errno));
  }
  if (!truncate) {
    // A run that died mid-write left a torn last line; end it, so that the next entry starts a
    // line of its own (read_pending skips a torn line only when it is the last).
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (in && in.tellg() > 0) {
      in.seekg(-1, std::ios::end);
      char last = '\n';
      in.get(last);
      if (last != '\n' && ::write(fd.get(), "\n", 1) != 1) {
        return Error(path + ": cannot write the chaos journal: " + std::strerror(errno));
      }
    }
  }
  return std::unique_ptr<ChaosJournal>(new ChaosJournal(path, std::move(run), std::move(fd)));
}

Status ChaosJournal::append(const std::string& line) {
  std::string data = line + "\n";
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd_.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error(path_ + ": cannot write the chaos journal: " + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd_.get()) != 0) {
    return Error(path_ + ": cannot sync the chaos journal: " + std::strerror(errno));
  }
  return Status();
}

Result<int64_t> ChaosJournal::intend(const std::string& action_id, const std::string& action,
                                     const UndoStep& step, const std::string& platform) {
  int64_t entry = next_entry_++;
  nlohmann::json j{{"run", run_},
                   {"entry", entry},
                   {"op", "intend"},
                   {"unix_ms", unix_ms()},
                   {"action_id", action_id},
                   {"action", action},
                   {"undo", undo_to_json(step)},
                   {"platform", platform}};
  Status st = append(j.dump());
  if (!st.ok()) return st.error();
  return entry;
}

Status ChaosJournal::applied(int64_t entry) {
  return append(
      nlohmann::json{{"run", run_}, {"entry", entry}, {"op", "applied"}, {"unix_ms", unix_ms()}}
          .dump());
}

Status ChaosJournal::reverted(int64_t entry, const std::string& run) {
  return append(nlohmann::json{
      {"run", run.empty() ? run_ : run},
      {"entry", entry},
      {"op", "reverted"},
      {"unix_ms",
       unix_ms()}}.dump());
}

Status revert_pending(Platform& platform, const std::string& path, std::vector<std::string>* log) {
  auto pending = read_pending(path);
  if (!pending.ok()) return pending.error();
  if (pending.value().empty()) return Status();
  // Undoing on another platform would touch the wrong objects and mark the real ones reverted.
  for (const PendingUndo& p : pending.value()) {
    if (!p.platform.empty() && p.platform != platform.identity()) {
      return Error(path + " lists faults applied on " + p.platform + ", not on " +
                   platform.identity() +
                   ": run `stampede chaos revert` with the platform flags of that run "
                   "(--state-dir, or --kubeconfig/--context/--in-cluster, -n, --name-prefix)");
    }
  }
  auto journal = ChaosJournal::open(path, "revert", /*truncate=*/false);
  if (!journal.ok()) return journal.error();
  std::vector<std::string> failures;
  for (const PendingUndo& p : pending.value()) {
    std::string what = p.step.describe() + " (" + p.action_id + ")";
    Status st = run_undo(platform, p.step);
    if (st.ok()) st = journal.value()->reverted(p.entry, p.run);
    if (log != nullptr)
      log->push_back((st.ok() ? "reverted: " : "FAILED: ") + what +
                     (st.ok() ? "" : ": " + st.error().message()));
    if (!st.ok()) failures.push_back(what + ": " + st.error().message());
  }
  if (failures.empty()) return Status();
  std::string message = std::to_string(failures.size()) + " of " +
                        std::to_string(pending.value().size()) + " undo steps failed and stay in " +
                        path + ": " + failures.front();
  return Error(message);
}

}  // namespace stampede
