#include "engine/fleet/interval_log.h"

#include <cerrno>
#include <cstring>
#include <iterator>

namespace stampede {

Result<std::unique_ptr<IntervalLogWriter>> IntervalLogWriter::open(const std::string& path) {
  std::unique_ptr<IntervalLogWriter> w(new IntervalLogWriter());
  w->path_ = path;
  w->out_.open(path, std::ios::binary | std::ios::trunc);
  if (!w->out_) return Error("cannot write " + path + ": " + std::strerror(errno));
  return w;
}

Status IntervalLogWriter::append(const fleet::LogRecord& record) {
  std::string body;
  if (!record.SerializeToString(&body)) return Error(path_ + ": cannot serialize a record");
  // The varint length prefix, as protobuf's delimited format writes it.
  uint8_t prefix[10];
  size_t n = 0;
  for (uint64_t v = body.size();; v >>= 7) {
    uint8_t byte = v & 0x7f;
    if (v >> 7) byte |= 0x80;
    prefix[n++] = byte;
    if (!(v >> 7)) break;
  }
  out_.write(reinterpret_cast<const char*>(prefix), static_cast<std::streamsize>(n));
  out_.write(body.data(), static_cast<std::streamsize>(body.size()));
  out_.flush();
  if (!out_) return Error("cannot write " + path_ + ": " + std::strerror(errno));
  return Status::Ok();
}

namespace {

// Reads a varint at `pos`; false when the bytes end first (or it runs past 10 bytes: then
// `*overlong` is set).
bool read_varint(const std::string& bytes, size_t* pos, uint64_t* value, bool* overlong) {
  uint64_t v = 0;
  for (int shift = 0, i = 0; i < 10; ++i, shift += 7) {
    if (*pos >= bytes.size()) return false;
    uint8_t b = static_cast<uint8_t>(bytes[(*pos)++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *value = v;
      return true;
    }
  }
  *overlong = true;
  return false;
}

}  // namespace

Result<IntervalLog> read_interval_log(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error("cannot read " + path + ": " + std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) return Error(path + ": empty file (the run wrote no header)");

  IntervalLog log;
  size_t pos = 0;
  size_t index = 0;
  bool have_header = false;
  while (pos < bytes.size()) {
    const size_t start = pos;
    uint64_t length = 0;
    bool overlong = false;
    if (!read_varint(bytes, &pos, &length, &overlong)) {
      if (overlong) {
        return Error(path + ": corrupt record length at byte " + std::to_string(start));
      }
      log.truncated = "record " + std::to_string(index + 1) + " is cut off at byte " +
                      std::to_string(start) + " of " + std::to_string(bytes.size()) +
                      " (its length prefix is incomplete)";
      break;
    }
    if (length > bytes.size() - pos) {
      log.truncated = "record " + std::to_string(index + 1) + " at byte " + std::to_string(start) +
                      " is cut off: " + std::to_string(bytes.size() - pos) + " of its " +
                      std::to_string(length) + " bytes are in the file";
      break;
    }
    fleet::LogRecord record;
    if (!record.ParseFromArray(bytes.data() + pos, static_cast<int>(length))) {
      return Error(path + ": record " + std::to_string(index + 1) + " at byte " +
                   std::to_string(start) + " does not parse (not an interval log, or corrupt)");
    }
    pos += length;
    ++index;
    if (log.footer) {
      return Error(path + ": record " + std::to_string(index) + " at byte " +
                   std::to_string(start) + " follows the footer");
    }
    switch (record.record_case()) {
      case fleet::LogRecord::kHeader:
        if (have_header) {
          return Error(path + ": a second header at byte " + std::to_string(start));
        }
        have_header = true;
        log.header = std::move(*record.mutable_header());
        break;
      case fleet::LogRecord::kInterval:
        if (!have_header) break;
        log.intervals.push_back(std::move(*record.mutable_interval()));
        break;
      case fleet::LogRecord::kFooter:
        if (!have_header) break;
        log.footer = std::move(*record.mutable_footer());
        break;
      case fleet::LogRecord::RECORD_NOT_SET:
        return Error(path + ": record " + std::to_string(index) + " at byte " +
                     std::to_string(start) + " is empty");
    }
    if (!have_header) {
      return Error(path + ": the first record is not a run header (not an interval log?)");
    }
  }
  if (!have_header) return Error(path + ": cut off before the end of the run header");
  return log;
}

}  // namespace stampede
