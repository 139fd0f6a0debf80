#include "shop-reference/orders/sqlite.h"

#include <gtest/gtest.h>

#include <string>

#include "shop-reference/orders/test_temp_dir.h"

namespace shop::sqlite {
namespace {

Database open_memory() {
  StoreResult<Database> db = Database::open(":memory:", Database::Mode::kReadWriteCreate, 100);
  EXPECT_TRUE(db.ok()) << db.error().message();
  return std::move(db).value();
}

int64_t count_rows(Database& db) {
  StoreResult<int64_t> n = db.query_int("SELECT COUNT(*) FROM t");
  EXPECT_TRUE(n.ok()) << n.error().message();
  return n.ok() ? n.value() : -1;
}

TEST(SqliteTest, BindsAndReadsEveryType) {
  Database db = open_memory();
  ASSERT_TRUE(db.exec("CREATE TABLE t(s TEXT, i INTEGER, b BLOB, n INTEGER)").ok());
  std::string bytes("a\0b", 3);
  ASSERT_TRUE(db.run("INSERT INTO t VALUES (?, ?, ?, ?)", std::string("text"), int64_t{1} << 40,
                     Blob{bytes}, std::optional<int64_t>())
                  .ok());
  ASSERT_TRUE(
      db.run("INSERT INTO t VALUES (?, ?, ?, ?)", "", 7, Blob{""}, std::optional<int64_t>(5)).ok());
  auto stmt = db.prepare("SELECT s, i, b, n FROM t ORDER BY rowid");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE(stmt.value().step().value());
  EXPECT_EQ(stmt.value().column_text(0), "text");
  EXPECT_EQ(stmt.value().column_int64(1), int64_t{1} << 40);
  EXPECT_EQ(stmt.value().column_blob(2), bytes);
  EXPECT_TRUE(stmt.value().column_is_null(3));
  ASSERT_TRUE(stmt.value().step().value());
  EXPECT_EQ(stmt.value().column_text(0), "");
  EXPECT_FALSE(stmt.value().column_is_null(2));  // an empty blob is not NULL
  EXPECT_EQ(stmt.value().column_blob(2), "");
  EXPECT_EQ(stmt.value().column_int64(3), 5);
  EXPECT_FALSE(stmt.value().step().value());
}

TEST(SqliteTest, TransactionRollsBackUnlessCommitted) {
  Database db = open_memory();
  ASSERT_TRUE(db.exec("CREATE TABLE t(x)").ok());
  {
    auto tx = Transaction::begin(db, Transaction::Mode::kImmediate);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db.run("INSERT INTO t VALUES (1)").ok());
  }
  EXPECT_EQ(count_rows(db), 0);
  {
    auto tx = Transaction::begin(db, Transaction::Mode::kDeferred);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db.run("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(tx.value().commit().ok());
  }
  EXPECT_EQ(count_rows(db), 1);
}

TEST(SqliteTest, ErrorsCarryKindAndName) {
  Database db = open_memory();
  StoreStatus bad_sql = db.exec("SELEKT 1");
  ASSERT_FALSE(bad_sql.ok());
  EXPECT_EQ(bad_sql.error().kind(), ErrorKind::kInternal);
  EXPECT_NE(bad_sql.error().message().find(":memory:"), std::string::npos);

  ASSERT_TRUE(db.exec("CREATE TABLE t(x PRIMARY KEY)").ok());
  ASSERT_TRUE(db.run("INSERT INTO t VALUES (1)").ok());
  StoreStatus dup = db.run("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind(), ErrorKind::kFailedPrecondition);

  // Binding past the last parameter is reported when the statement runs.
  StoreStatus too_many = db.run("INSERT INTO t VALUES (?)", 2, 3);
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.error().message().find("binding"), std::string::npos);
}

TEST(SqliteTest, ReadOnlyOpenOfMissingFileIsUnavailable) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::string path = dir.path() + "/missing.db";
  StoreResult<Database> db = Database::open(path, Database::Mode::kReadOnly, 100);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind(), ErrorKind::kUnavailable);
  EXPECT_NE(db.error().message().find(path), std::string::npos);
}

TEST(SqliteTest, QueryIntWithoutRowIsAnError) {
  Database db = open_memory();
  ASSERT_TRUE(db.exec("CREATE TABLE t(x)").ok());
  EXPECT_FALSE(db.query_int("SELECT x FROM t").ok());
}

TEST(StoreErrorTest, KindsMapOntoGrpcCodes) {
  EXPECT_EQ(to_grpc_code(ErrorKind::kNotFound), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(to_grpc_code(ErrorKind::kAlreadyExists), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(to_grpc_code(ErrorKind::kFailedPrecondition), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(to_grpc_code(ErrorKind::kInvalidArgument), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(to_grpc_code(ErrorKind::kUnavailable), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(to_grpc_code(ErrorKind::kInternal), grpc::StatusCode::INTERNAL);
  grpc::Status status = to_grpc_status(StoreError(ErrorKind::kNotFound, "order 'x' not found"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "order 'x' not found");
  EXPECT_STREQ(error_kind_name(ErrorKind::kFailedPrecondition), "failed_precondition");
  EXPECT_EQ(StoreError(ErrorKind::kInternal, "m").with_context("c").message(), "c: m");
}

}  // namespace
}  // namespace shop::sqlite
