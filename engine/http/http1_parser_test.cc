#include "engine/http/http1_parser.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace stampede {
namespace {

// What one parse produced; compared across every way of splitting the input.
struct Parsed {
  Http1Parser::Result result = Http1Parser::Result::kNeedMore;
  int status = 0;
  std::string proto;
  std::string headers_raw;
  std::string body;
  int64_t body_bytes = 0;
  size_t consumed = 0;
  bool keep_alive = false;
  HttpErrorKind error = HttpErrorKind::kNone;
  std::string message;

  bool operator==(const Parsed&) const = default;
};

void PrintTo(const Parsed& p, std::ostream* os) {
  *os << "{result " << static_cast<int>(p.result) << ", status " << p.status << ", proto "
      << p.proto << ", headers " << testing::PrintToString(p.headers_raw) << ", body "
      << testing::PrintToString(p.body.substr(0, 100)) << ", body_bytes " << p.body_bytes
      << ", consumed " << p.consumed << ", keep_alive " << p.keep_alive << ", error "
      << static_cast<int>(p.error) << " " << p.message << "}";
}

struct Options {
  bool head = false;
  bool store = true;
  bool eof = false;  // the peer closes after the bytes
  Http1Parser::Limits limits;
};

// Feeds `bytes` in pieces ending at each of `cuts` (ascending offsets).
Parsed parse_split(const std::string& bytes, const std::vector<size_t>& cuts, const Options& o) {
  Http1Parser parser;
  HttpResponse resp;
  parser.reset(o.limits, o.head, o.store);
  Parsed p;
  size_t start = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(bytes.size());
  for (size_t end : ends) {
    if (end < start) continue;
    size_t used = 0;
    p.result = parser.feed(std::string_view(bytes).substr(start, end - start), &resp, &used);
    p.consumed += used;
    start = end;
    if (p.result != Http1Parser::Result::kNeedMore) break;
  }
  if (p.result == Http1Parser::Result::kNeedMore && o.eof) p.result = parser.finish();
  p.status = resp.status;
  p.proto = resp.proto;
  p.headers_raw = resp.headers_raw;
  p.body = resp.body;
  p.body_bytes = parser.body_bytes();
  p.keep_alive = parser.keep_alive();
  p.error = parser.error();
  p.message = parser.error_message();
  if (p.result == Http1Parser::Result::kError) {  // how far it got depends on the split
    p.consumed = 0;
    p.body.clear();
    p.body_bytes = 0;
  }
  return p;
}

// Parses in one piece, then checks that every 2-way and 3-way split and byte-by-byte feeding
// give the same result.
Parsed parse(const std::string& bytes, const Options& o = {}) {
  Parsed whole = parse_split(bytes, {}, o);
  for (size_t i = 0; i <= bytes.size(); ++i) {
    EXPECT_EQ(parse_split(bytes, {i}, o), whole) << "split at " << i;
    for (size_t j = i; j <= bytes.size() && bytes.size() <= 200; j += 7) {
      EXPECT_EQ(parse_split(bytes, {i, j}, o), whole) << "split at " << i << "," << j;
    }
  }
  std::vector<size_t> each;
  for (size_t i = 1; i < bytes.size(); ++i) each.push_back(i);
  EXPECT_EQ(parse_split(bytes, each, o), whole) << "byte by byte";
  return whole;
}

using R = Http1Parser::Result;

TEST(Http1ParserTest, ContentLength) {
  std::string bytes =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
  Parsed p = parse(bytes);
  EXPECT_EQ(p.result, R::kDone);
  EXPECT_EQ(p.status, 200);
  EXPECT_EQ(p.proto, "HTTP/1.1");
  EXPECT_EQ(p.headers_raw, "Content-Type: text/plain\r\nContent-Length: 5\r\n");
  EXPECT_EQ(p.body, "hello");
  EXPECT_EQ(p.consumed, bytes.size());
  EXPECT_TRUE(p.keep_alive);
}

TEST(Http1ParserTest, StopsAtTheEndOfTheResponse) {
  std::string first = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  Parsed p = parse(first + "HTTP/1.1 200 OK\r\n");
  EXPECT_EQ(p.result, R::kDone);
  EXPECT_EQ(p.consumed, first.size());
  EXPECT_EQ(p.body, "ok");
}

TEST(Http1ParserTest, ChunkedWithExtensionsAndTrailers) {
  std::string bytes =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n"
      "7 ; x=\"q\"\r\n, world\r\n"
      "A\r\n0123456789\r\n"
      "0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n";
  Parsed p = parse(bytes);
  EXPECT_EQ(p.result, R::kDone);
  EXPECT_EQ(p.body, "hello, world0123456789");
  EXPECT_EQ(p.headers_raw, "Transfer-Encoding: chunked\r\nX-Checksum: abc\r\nX-Other: 1\r\n");
  EXPECT_EQ(p.consumed, bytes.size());
  EXPECT_TRUE(p.keep_alive);
}

TEST(Http1ParserTest, ChunkedWithoutTrailers) {
  Parsed p =
      parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(p.result, R::kDone);
  EXPECT_EQ(p.body, "abc");
}

TEST(Http1ParserTest, TransferEncodingWinsOverContentLengthAndCloses) {
  Parsed p = parse(
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
      "2\r\nhi\r\n0\r\n\r\n");
  EXPECT_EQ(p.result, R::kDone);
  EXPECT_EQ(p.body, "hi");
  EXPECT_FALSE(p.keep_alive);
}

TEST(Http1ParserTest, CloseDelimitedBody) {
  Options o;
  o.eof = true;
  Parsed p = parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", o);
  EXPECT_EQ(p.result, R::kDone);
  EXPECT_EQ(p.body, "until the end");
  EXPECT_FALSE(p.keep_alive);
  Parsed open_ended = parse_split("HTTP/1.1 200 OK\r\n\r\nmore", {}, {});
  EXPECT_EQ(open_ended.result, R::kNeedMore);
}

TEST(Http1ParserTest, NonChunkedTransferEncodingReadsUntilClose) {
  Options o;
  o.eof = true;
  Parsed p = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzzz", o);
  EXPECT_EQ(p.result, R::kDone);
  EXPECT_EQ(p.body, "zzz");
  EXPECT_FALSE(p.keep_alive);
}

TEST(Http1ParserTest, HeadResponseHasNoBody) {
  Options o;
  o.head = true;
  std::string bytes = "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n";
  Parsed p = parse(bytes, o);
  EXPECT_EQ(p.result, R::kDone);
  EXPECT_EQ(p.body, "");
  EXPECT_EQ(p.consumed, bytes.size());
  EXPECT_TRUE(p.keep_alive);
}

TEST(Http1ParserTest, NoBodyFor204And304) {
  for (const char* status : {"204 No Content", "304 Not Modified"}) {
    std::string bytes = std::string("HTTP/1.1 ") + status + "\r\nContent-Length: 10\r\n\r\n";
    Parsed p = parse(bytes + "HTTP/1.1");
    EXPECT_EQ(p.result, R::kDone) << status;
    EXPECT_EQ(p.consumed, bytes.size());
    EXPECT_EQ(p.body, "");
  }
}

TEST(Http1ParserTest, SkipsInterimResponses) {
  Parsed p = parse(
      "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n"
      "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
  EXPECT_EQ(p.result, R::kDone);
  EXPECT_EQ(p.status, 201);
  EXPECT_EQ(p.headers_raw, "Content-Length: 2\r\n");
  EXPECT_EQ(p.body, "ok");
}

TEST(Http1ParserTest, SwitchingProtocolsEndsWithoutKeepAlive) {
  Parsed p = parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n");
  EXPECT_EQ(p.result, R::kDone);
  EXPECT_EQ(p.status, 101);
  EXPECT_FALSE(p.keep_alive);
}

TEST(Http1ParserTest, ConnectionHeaderAndVersionDecideKeepAlive) {
  EXPECT_FALSE(
      parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keep_alive);
  EXPECT_FALSE(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
  Parsed p = parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx");
  EXPECT_TRUE(p.keep_alive);
  EXPECT_EQ(p.proto, "HTTP/1.0");
  EXPECT_FALSE(
      parse("HTTP/1.1 200 OK\r\nConnection: foo, close\r\nContent-Length: 0\r\n\r\n").keep_alive);
}

TEST(Http1ParserTest, AcceptsBareLineFeedsAndLeadingBlankLinesAndFolding) {
  Parsed p = parse("\r\nHTTP/1.1 200\nContent-Length: 3\nX-Long: a\n  b\n\nabc");
  EXPECT_EQ(p.result, R::kDone);
  EXPECT_EQ(p.status, 200);
  EXPECT_EQ(p.headers_raw, "Content-Length: 3\nX-Long: a\n  b\n");
  EXPECT_EQ(p.body, "abc");
}

TEST(Http1ParserTest, RepeatedEqualContentLengthsAreAccepted) {
  Parsed p = parse("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok");
  EXPECT_EQ(p.result, R::kDone);
  EXPECT_EQ(p.body, "ok");
}

TEST(Http1ParserTest, DiscardedBodyIsCountedNotStored) {
  Options o;
  o.store = false;
  Parsed p =
      parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n", o);
  EXPECT_EQ(p.result, R::kDone);
  EXPECT_EQ(p.body, "");
  EXPECT_EQ(p.body_bytes, 4);
}

TEST(Http1ParserTest, RejectsMalformedResponses) {
  const char* cases[] = {
      "HTTP/1.1 20 OK\r\n\r\n",
      "HTTP/1.1 2000 OK\r\n\r\n",
      "HTTP/1.1 200OK\r\n\r\n",
      "HTTX/1.1 200 OK\r\n\r\n",
      "HTTP/2 200 OK\r\n\r\n",
      "HTTP/1.2 200 OK\r\n\r\n",
      "hello world\r\n\r\n",
      "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
      "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
      "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
      "HTTP/1.1 200 OK\r\n folded first\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 x\r\nab\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n",
  };
  for (const char* bytes : cases) {
    Parsed p = parse(bytes);
    EXPECT_EQ(p.result, R::kError) << bytes;
    EXPECT_EQ(p.error, HttpErrorKind::kOther) << bytes;
    EXPECT_FALSE(p.message.empty()) << bytes;
    EXPECT_FALSE(p.keep_alive) << bytes;
  }
}

TEST(Http1ParserTest, OversizedHeadersAreTooLarge) {
  Options o;
  o.limits.max_header_bytes = 100;
  std::string bytes = "HTTP/1.1 200 OK\r\nX-Big: " + std::string(100, 'a') + "\r\n\r\n";
  Parsed p = parse(bytes, o);
  EXPECT_EQ(p.result, R::kError);
  EXPECT_EQ(p.error, HttpErrorKind::kTooLarge);
  // The default limit is 64 KiB.
  Parsed big = parse_split("HTTP/1.1 200 OK\r\nX-Big: " + std::string(70000, 'a'), {}, {});
  EXPECT_EQ(big.error, HttpErrorKind::kTooLarge);
  std::string endless_interim;
  for (int i = 0; i < 5000; ++i) endless_interim += "HTTP/1.1 100 Continue\r\n\r\n";
  EXPECT_EQ(parse_split(endless_interim, {}, {}).error, HttpErrorKind::kTooLarge);
}

TEST(Http1ParserTest, OversizedBodiesAreTooLarge) {
  Options o;
  o.limits.max_body_bytes = 4;
  o.eof = true;
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", o).error,
            HttpErrorKind::kTooLarge);
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n"
                  "0\r\n\r\n",
                  o)
                .error,
            HttpErrorKind::kTooLarge);
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\n\r\nhello", o).error, HttpErrorKind::kTooLarge);
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd", o).result, R::kDone);
}

TEST(Http1ParserTest, EndOfStreamBeforeTheEnd) {
  Options o;
  o.eof = true;
  Parsed empty = parse_split("", {}, o);
  EXPECT_EQ(empty.result, R::kError);
  EXPECT_EQ(empty.error, HttpErrorKind::kEmptyReply);
  for (const char* bytes : {"HTTP/1.1 200 O", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n",
                            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel",
                            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"}) {
    Parsed p = parse(bytes, o);
    EXPECT_EQ(p.result, R::kError) << bytes;
    EXPECT_EQ(p.error, HttpErrorKind::kOther) << bytes;
  }
}

TEST(Http1ParserTest, ResetStartsAFreshResponse) {
  Http1Parser parser;
  HttpResponse resp;
  size_t used = 0;
  parser.reset({}, false, true);
  EXPECT_EQ(parser.feed("HTTP/1.1 200 OK\r\nX-Partial", &resp, &used), R::kNeedMore);
  parser.reset({}, false, true);
  resp.clear();
  EXPECT_EQ(parser.feed("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", &resp, &used),
            R::kDone);
  EXPECT_EQ(resp.status, 404);
  EXPECT_EQ(resp.headers_raw, "Content-Length: 0\r\n");
}

}  // namespace
}  // namespace stampede
