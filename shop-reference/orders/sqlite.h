// A small RAII wrapper over the SQLite C API, shared by the order store, the payment ledger and the
// audit (CMake target shop_sqlite, defined in shop-reference/orders/CMakeLists.txt; link it to
// reuse). Handles are owned by unique_ptrs with sqlite3_close_v2 / sqlite3_finalize deleters;
// copying is impossible, moving is cheap. Errors come back as StoreError with a kind derived from
// the SQLite result code and a message naming the database file.
//
// Thread-safety: none of these objects may be used from two threads at once; owners (OrderStore,
// Ledger) serialise access with their own mutex.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "shop-reference/orders/store_error.h"

namespace shop::sqlite {

// Marks a bound parameter as a BLOB rather than TEXT. Views the bytes; they are copied on bind.
struct Blob {
  std::string_view bytes;
};

// One prepared statement. Obtained from Database::prepare; must not outlive its Database.
class Statement {
 public:
  Statement() = default;
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds parameter `index` (1-based). A failed bind is remembered and reported by step().
  void bind(int index, std::string_view text);
  void bind(int index, const std::string& text) { bind(index, std::string_view(text)); }
  void bind(int index, const char* text) { bind(index, std::string_view(text)); }
  void bind(int index, int64_t value);
  void bind(int index, int value) { bind(index, static_cast<int64_t>(value)); }
  void bind(int index, Blob blob);
  // nullopt binds NULL.
  void bind(int index, std::optional<int64_t> value);

  // Advances: true when a row is ready to read, false when done. Errors (kind from the SQLite
  // code: busy/locked -> kUnavailable, constraint -> kFailedPrecondition, else kInternal).
  StoreResult<bool> step();

  // Column readers for the current row (0-based). NULL reads as 0 / "".
  int64_t column_int64(int column) const;
  std::string column_text(int column) const;
  std::string column_blob(int column) const;
  bool column_is_null(int column) const;

 private:
  friend class Database;
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  int bind_rc_ = SQLITE_OK;
};

// One connection. open() applies busy_timeout; the caller sets journal mode and schema.
class Database {
 public:
  enum class Mode { kReadWriteCreate, kReadOnly };

  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Opens `path` (":memory:" for a private in-memory database). kUnavailable when the file
  // cannot be opened (missing in kReadOnly mode, unreadable, directory missing).
  static StoreResult<Database> open(const std::string& path, Mode mode, int busy_timeout_ms);

  // Runs one or more statements without parameters (schema, pragmas). Errors as Statement::step.
  StoreStatus exec(const std::string& sql);

  // Prepares `sql` and binds `args` to parameters 1..n. kInternal on SQL errors.
  template <typename... Args>
  StoreResult<Statement> prepare(std::string_view sql, const Args&... args) {
    StoreResult<Statement> stmt = prepare_unbound(sql);
    if (!stmt.ok()) return stmt;
    int index = 0;
    (stmt.value().bind(++index, args), ...);
    return stmt;
  }

  // Prepares, binds and steps once: for INSERT/UPDATE/DELETE. Errors as Statement::step.
  template <typename... Args>
  StoreStatus run(std::string_view sql, const Args&... args) {
    StoreResult<Statement> stmt = prepare(sql, args...);
    if (!stmt.ok()) return stmt.error();
    StoreResult<bool> stepped = stmt.value().step();
    if (!stepped.ok()) return stepped.error();
    return {};
  }

  // The first column of the first row as an integer (PRAGMA user_version, COUNT(*)); kInternal
  // when there is no row.
  StoreResult<int64_t> query_int(std::string_view sql);

  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  int64_t changes() const { return sqlite3_changes64(db_.get()); }

  // The path given to open().
  const std::string& path() const { return path_; }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  Database(std::unique_ptr<sqlite3, Closer> db, std::string path)
      : db_(std::move(db)), path_(std::move(path)) {}
  StoreResult<Statement> prepare_unbound(std::string_view sql);

  std::unique_ptr<sqlite3, Closer> db_;
  std::string path_;
};

// A transaction scope: begin() issues BEGIN [IMMEDIATE]; the destructor rolls back unless
// commit() succeeded. Holds a non-owning pointer: must not outlive its Database.
class Transaction {
 public:
  enum class Mode { kDeferred, kImmediate };

  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // kImmediate takes the write lock up front (waiting up to busy_timeout), so a read-then-write
  // in the transaction cannot lose a race to another connection. kUnavailable when still busy.
  static StoreResult<Transaction> begin(Database& db, Mode mode);
  // Commits; afterwards the destructor does nothing. Errors as Statement::step.
  StoreStatus commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  // not owned; nullptr once committed or moved from
};

// The StoreError kind for an SQLite result code (primary or extended).
ErrorKind kind_for_sqlite_code(int rc);

}  // namespace shop::sqlite
