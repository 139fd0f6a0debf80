#include "shop-reference/orders/sqlite.h"

namespace shop::sqlite {
namespace {

// Names the file in every message, so an operator with several databases knows which one failed.
StoreError sqlite_error(sqlite3* db, int rc, std::string_view what) {
  const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  std::string name = (file != nullptr && *file != '\0') ? file : ":memory:";
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return StoreError(kind_for_sqlite_code(rc),
                    name + ": " + std::string(what) + ": " + (detail ? detail : "unknown error"));
}

}  // namespace

ErrorKind kind_for_sqlite_code(int rc) {
  switch (rc & 0xff) {
    // Busy/locked remain after busy_timeout expired: another process holds the lock, retry later.
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      return ErrorKind::kUnavailable;
    case SQLITE_CONSTRAINT:
      return ErrorKind::kFailedPrecondition;
    default:
      return ErrorKind::kInternal;
  }
}

void Statement::bind(int index, std::string_view text) {
  int rc = sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_.get(), index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::bind(int index, Blob blob) {
  // sqlite3_bind_blob64 treats a null pointer as NULL; an empty blob must stay a zero-length blob.
  static const char kEmpty = 0;
  const char* data = blob.bytes.empty() ? &kEmpty : blob.bytes.data();
  int rc = sqlite3_bind_blob64(stmt_.get(), index, data, blob.bytes.size(), SQLITE_TRANSIENT);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::bind(int index, std::optional<int64_t> value) {
  int rc = value ? sqlite3_bind_int64(stmt_.get(), index, *value)
                 : sqlite3_bind_null(stmt_.get(), index);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

StoreResult<bool> Statement::step() {
  sqlite3* db = sqlite3_db_handle(stmt_.get());
  if (bind_rc_ != SQLITE_OK) return sqlite_error(db, bind_rc_, "binding parameters");
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(db, rc, sqlite3_sql(stmt_.get()));
}

int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

std::string Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), column);
  int size = sqlite3_column_bytes(stmt_.get(), column);
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text), size);
}

std::string Statement::column_blob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_.get(), column);
  int size = sqlite3_column_bytes(stmt_.get(), column);
  return blob == nullptr ? std::string() : std::string(static_cast<const char*>(blob), size);
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

StoreResult<Database> Database::open(const std::string& path, Mode mode, int busy_timeout_ms) {
  int flags =
      mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // sqlite3_open_v2 hands out a handle even on failure; own it at once so it is always closed.
  std::unique_ptr<sqlite3, Closer> db(raw);
  if (rc != SQLITE_OK) {
    const char* detail = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return StoreError(kind_for_sqlite_code(rc), path + ": cannot open: " + detail);
  }
  sqlite3_extended_result_codes(raw, 1);
  rc = sqlite3_busy_timeout(raw, busy_timeout_ms);
  if (rc != SQLITE_OK) return sqlite_error(raw, rc, "busy_timeout");
  return Database(std::move(db), path);
}

StoreStatus Database::exec(const std::string& sql) {
  int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_.get(), rc, sql);
  return {};
}

StoreResult<Statement> Database::prepare_unbound(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  Statement stmt;
  stmt.stmt_.reset(raw);
  if (rc != SQLITE_OK) return sqlite_error(db_.get(), rc, sql);
  if (raw == nullptr) {
    return StoreError(ErrorKind::kInternal, path_ + ": empty statement: " + std::string(sql));
  }
  return stmt;
}

StoreResult<int64_t> Database::query_int(std::string_view sql) {
  StoreResult<Statement> stmt = prepare(sql);
  if (!stmt.ok()) return stmt.error();
  StoreResult<bool> row = stmt.value().step();
  if (!row.ok()) return row.error();
  if (!row.value()) {
    return StoreError(ErrorKind::kInternal, path_ + ": no row from: " + std::string(sql));
  }
  return stmt.value().column_int64(0);
}

StoreResult<Transaction> Transaction::begin(Database& db, Mode mode) {
  StoreStatus begun = db.exec(mode == Mode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!begun.ok()) return begun.error();
  return Transaction(&db);
}

StoreStatus Transaction::commit() {
  if (db_ == nullptr) return StoreError(ErrorKind::kInternal, "commit without a transaction");
  StoreStatus committed = db_->exec("COMMIT");
  // A failed COMMIT (busy) leaves the transaction open; the destructor rolls it back.
  if (committed.ok()) db_ = nullptr;
  return committed;
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

}  // namespace shop::sqlite
