#include "shop-reference/orders/store_file.h"

#include <filesystem>
#include <system_error>

namespace shop {
namespace {

constexpr char kMemory[] = ":memory:";

StoreError version_error(const std::string& path, int64_t found, int wanted) {
  return StoreError(ErrorKind::kFailedPrecondition,
                    path + ": schema version " + std::to_string(found) +
                        ", this build knows version " + std::to_string(wanted));
}

}  // namespace

StoreResult<sqlite::Database> open_store_db(const std::string& data_dir,
                                            const std::string& file_name, const char* schema,
                                            int version) {
  std::string path = kMemory;
  if (data_dir != kMemory) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec) {
      return StoreError(ErrorKind::kUnavailable,
                        data_dir + ": cannot create data directory: " + ec.message());
    }
    path = (std::filesystem::path(data_dir) / file_name).string();
  }
  StoreResult<sqlite::Database> db =
      sqlite::Database::open(path, sqlite::Database::Mode::kReadWriteCreate, kStoreBusyTimeoutMs);
  if (!db.ok()) return db.error();
  // WAL lets readers (the audit, other replicas' reads) proceed while one process writes.
  if (path != kMemory) {
    if (StoreStatus wal = db.value().exec("PRAGMA journal_mode=WAL"); !wal.ok()) {
      return wal.error();
    }
  }
  // IMMEDIATE: two processes opening a fresh file must not both create the tables.
  {
    auto tx = sqlite::Transaction::begin(db.value(), sqlite::Transaction::Mode::kImmediate);
    if (!tx.ok()) return tx.error();
    StoreResult<int64_t> found = db.value().query_int("PRAGMA user_version");
    if (!found.ok()) return found.error();
    if (found.value() > version) return version_error(path, found.value(), version);
    if (found.value() == 0) {
      if (StoreStatus created = db.value().exec(schema); !created.ok()) return created.error();
    }
    if (StoreStatus committed = tx.value().commit(); !committed.ok()) return committed.error();
  }
  return db;
}

StoreResult<sqlite::Database> open_store_db_read_only(const std::string& data_dir,
                                                      const std::string& file_name, int version) {
  std::string path = (std::filesystem::path(data_dir) / file_name).string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return StoreError(ErrorKind::kUnavailable, path + ": no such file");
  }
  StoreResult<sqlite::Database> db =
      sqlite::Database::open(path, sqlite::Database::Mode::kReadOnly, kStoreBusyTimeoutMs);
  if (!db.ok()) return db.error();
  // The first read is where an unreadable or non-database file shows.
  StoreResult<int64_t> found = db.value().query_int("PRAGMA user_version");
  if (!found.ok()) return found.error();
  if (found.value() != version) return version_error(path, found.value(), version);
  return db;
}

}  // namespace shop
