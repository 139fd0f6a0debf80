// Opening a store's SQLite file the way every store does: `<data_dir>/<file>` (directories
// created), WAL, busy_timeout, schema created once and versioned in PRAGMA user_version.
#pragma once

#include <string>

#include "shop-reference/orders/sqlite.h"
#include "shop-reference/orders/store_error.h"

namespace shop {

// How long a connection waits for another process's lock before kUnavailable.
inline constexpr int kStoreBusyTimeoutMs = 5000;

// Opens `<data_dir>/<file_name>` read-write (":memory:" as data_dir: a private in-memory
// database) and runs `schema` (which must set user_version to `version`) when user_version is 0.
// kUnavailable when the directory or file cannot be made or opened; kFailedPrecondition when the
// file's version is newer than `version`.
StoreResult<sqlite::Database> open_store_db(const std::string& data_dir,
                                            const std::string& file_name, const char* schema,
                                            int version);

// Opens an existing `<data_dir>/<file_name>` read-only. kUnavailable naming the file when it is
// missing or unreadable; kFailedPrecondition when its user_version is not `version`.
StoreResult<sqlite::Database> open_store_db_read_only(const std::string& data_dir,
                                                      const std::string& file_name, int version);

}  // namespace shop
