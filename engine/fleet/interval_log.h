// The interval log (DIR/intervals.pb): a run's fleet::LogRecords, length-delimited (a varint
// byte count, then the serialized message), in the order header, IntervalDelta per second,
// footer. Appended and flushed record by record, so a killed run leaves every second it closed;
// a last record cut off mid-write is detected and reported by the reader, never misread.
#pragma once

#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "fleet.pb.h"

namespace stampede {

// Appends records to one log file. Owned and used by one thread (the run controller's).
class IntervalLogWriter {
 public:
  // Creates (truncates) `path`. Error names the path.
  static Result<std::unique_ptr<IntervalLogWriter>> open(const std::string& path);

  // Writes one record and flushes it. Error names the path.
  Status append(const fleet::LogRecord& record);
  const std::string& path() const { return path_; }

 private:
  IntervalLogWriter() = default;
  std::ofstream out_;
  std::string path_;
};

// A log as read back. `intervals` are in file order (one-offs and seconds).
struct IntervalLog {
  fleet::RunHeader header;
  std::vector<fleet::IntervalDelta> intervals;
  std::optional<fleet::RunFooter> footer;  // absent: the run did not finish writing it
  // Non-empty when the file ends inside a record: what was cut off and where. The complete
  // records before it are kept.
  std::string truncated;
};

// Reads a whole log. Errors (naming the path and the byte offset): unreadable file, an empty
// file, a first record that is not a header, a record that does not parse, a second header, or
// anything after the footer. A cut-off last record is not an error (see IntervalLog::truncated).
Result<IntervalLog> read_interval_log(const std::string& path);

}  // namespace stampede
