// ChaosJournal: the write-ahead log of applied faults, <state dir>/chaos-journal.jsonl, so that
// no fault outlives the run that made it — even a run that crashed. Before a fault is applied
// its undo step is appended as an "intend" line and fsync'd; "applied" follows the platform's
// answer; "reverted" follows a successful undo. Whatever was intended and not reverted is
// pending: `stampede chaos revert` (revert_pending) undoes it. A crash between applying and
// journaling therefore leaves an "intend" without "applied", which is reverted all the same
// (undo steps are idempotent).
//
// One JSON object per line: {"run", "entry", "op": "intend"|"applied"|"reverted", "unix_ms",
// and for intend: "action_id", "action", "undo": {...}, "platform"}. Not thread-safe: one
// owner (the chaos controller), one writer per file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/chaos/undo_step.h"
#include "engine/http/unique_fd.h"
#include "engine/platform/platform.h"

namespace stampede {

// The journal path for a state dir.
std::string chaos_journal_path(const std::string& state_dir);

// A fault that was intended and not reverted.
struct PendingUndo {
  std::string run;
  int64_t entry = 0;
  std::string action_id;
  std::string action;
  std::string platform;
  UndoStep step;
};

// The pending entries of a journal, newest first (the order to undo them in). A missing file
// has none. A torn last line (a crash mid-write) is ignored: its platform call never happened.
// Errors name the file and line of any other malformed line.
Result<std::vector<PendingUndo>> read_pending(const std::string& path);

class ChaosJournal {
 public:
  // Opens `path` for appending (creating it, mode 0600, and its folder). `run` names this run
  // in every line. When `truncate` the file is emptied first (nothing pending in it). Holds an
  // exclusive lock on the file while open: a second open (another run, `chaos revert`) fails.
  static Result<std::unique_ptr<ChaosJournal>> open(const std::string& path, std::string run,
                                                    bool truncate);

  const std::string& path() const { return path_; }
  const std::string& run() const { return run_; }

  // Appends and fsyncs an "intend" line; returns its entry number.
  Result<int64_t> intend(const std::string& action_id, const std::string& action,
                         const UndoStep& step, const std::string& platform);
  Status applied(int64_t entry);
  // `run` empty: this journal's run (revert_pending marks entries of earlier runs).
  Status reverted(int64_t entry, const std::string& run = "");

 private:
  ChaosJournal(std::string path, std::string run, UniqueFd fd)
      : path_(std::move(path)), run_(std::move(run)), fd_(std::move(fd)) {}
  Status append(const std::string& line);

  std::string path_;
  std::string run_;
  UniqueFd fd_;
  int64_t next_entry_ = 1;
};

// Undoes every pending entry of the journal at `path` on `platform`, newest first, and marks
// each success "reverted". `log` receives one line per step. Errors list the steps that failed
// (they stay pending, so the command can be run again).
Status revert_pending(Platform& platform, const std::string& path,
                      std::vector<std::string>* log = nullptr);

}  // namespace stampede
