// TerminalProgress: the live progress on stderr. On a TTY one line redrawn every second; when
// not a TTY (CI logs), a plain line every 10 s. Quiet mode prints only messages.
#pragma once

#include "engine/output/progress_sink.h"

namespace stampede {

class TerminalProgress final : public ProgressSink {
 public:
  TerminalProgress(bool tty, bool quiet, bool color) : tty_(tty), quiet_(quiet), color_(color) {}
  void update(const ProgressInfo& info) override;
  void message(const std::string& text) override;
  void finish() override;

 private:
  bool tty_;
  bool quiet_;
  bool color_;
  bool line_open_ = false;
  Nanos last_plain_ = 0;
};

// A ProgressSink that drops everything (for tests and --quiet summaries).
class NullProgress final : public ProgressSink {
 public:
  void update(const ProgressInfo&) override {}
  void message(const std::string&) override {}
  void finish() override {}
};

}  // namespace stampede
