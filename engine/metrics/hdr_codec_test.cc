#include "engine/metrics/hdr_codec.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace stampede {
namespace {

std::vector<uint8_t> bytes_of(std::string_view s) {
  return {s.begin(), s.end()};
}

void expect_same_histogram(const HdrHistogram& a, const HdrHistogram& b) {
  ASSERT_TRUE(a.same_config(b));
  ASSERT_EQ(a.total_count(), b.total_count());
  for (int32_t i = 0; i < a.counts_length(); ++i) {
    ASSERT_EQ(a.count_at_index(i), b.count_at_index(i)) << "index " << i;
  }
  EXPECT_EQ(a.min(), b.min());
  EXPECT_EQ(a.max(), b.max());
}

HdrHistogram random_histogram(uint64_t seed) {
  HdrHistogram h;
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> dist(1.0 / 50'000);
  for (int i = 0; i < 20'000; ++i) h.record(std::llround(dist(rng)));
  return h;
}

HdrHistogram must_decode(std::span<const uint8_t> bytes) {
  Result<HdrHistogram> decoded = decode_histogram(bytes);
  EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().message());
  return decoded.ok() ? std::move(decoded).value() : HdrHistogram();
}

std::string decode_error(std::span<const uint8_t> bytes) {
  Result<HdrHistogram> decoded = decode_histogram(bytes);
  return decoded.ok() ? "<decoded>" : decoded.error().message();
}

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<std::string, std::string> cases[] = {{"", ""},
                                                       {"f", "Zg=="},
                                                       {"fo", "Zm8="},
                                                       {"foo", "Zm9v"},
                                                       {"foob", "Zm9vYg=="},
                                                       {"fooba", "Zm9vYmE="},
                                                       {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(base64_encode(bytes_of(plain)), encoded);
    Result<std::vector<uint8_t>> decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded.value(), bytes_of(plain));
  }
  Result<std::vector<uint8_t>> unpadded = base64_decode(" Zm9vYg\n");
  ASSERT_TRUE(unpadded.ok());
  EXPECT_EQ(unpadded.value(), bytes_of("foob"));
}

TEST(Base64Test, AllByteValuesRoundTrip) {
  std::vector<uint8_t> all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<uint8_t>(i));
  Result<std::vector<uint8_t>> decoded = base64_decode(base64_encode(all));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value(), all);
}

TEST(Base64Test, RejectsInvalidInput) {
  EXPECT_FALSE(base64_decode("Zm9v!").ok());
  EXPECT_FALSE(base64_decode("Zm9vY").ok());  // dangling character
  EXPECT_FALSE(base64_decode("Zm9v=").ok());  // padding that does not complete a group
  EXPECT_FALSE(base64_decode("Zm=v").ok());
  Result<std::vector<uint8_t>> bad = base64_decode("ab-d");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("offset 2"), std::string::npos);
}

TEST(HdrCodecTest, UncompressedHeaderLayoutAndVarints) {
  HdrHistogram h;
  h.record(0);
  h.record(3, 300);
  const std::vector<uint8_t> blob = encode_v2(h);
  const std::vector<uint8_t> expected = {
      0x1c, 0x84, 0x93, 0x13,                          // cookie with word-size nibble
      0x00, 0x00, 0x00, 0x04,                          // payload length
      0x00, 0x00, 0x00, 0x00,                          // normalizing index offset
      0x00, 0x00, 0x00, 0x03,                          // significant figures
      0,    0,    0,    0,    0,    0,    0,    1,     // lowest discernible
      0,    0,    0,    0,    0xd6, 0x93, 0xa4, 0x00,  // highest trackable 3.6e9
      0x3f, 0xf0, 0,    0,    0,    0,    0,    0,     // 1.0
      0x02,                                            // count 1 (zigzag 2)
      0x03,                                            // run of 2 zeros (-2, zigzag 3)
      0xd8, 0x04};                                     // count 300 (zigzag 600)
  EXPECT_EQ(blob, expected);
}

TEST(HdrCodecTest, UncompressedRoundTrip) {
  const HdrHistogram h = random_histogram(1);
  expect_same_histogram(must_decode(encode_v2(h)), h);
}

TEST(HdrCodecTest, CompressedRoundTrip) {
  const HdrHistogram h = random_histogram(2);
  const std::vector<uint8_t> blob = encode_v2_compressed(h);
  EXPECT_EQ(blob[0], 0x1c);
  EXPECT_EQ(blob[3], 0x14);
  EXPECT_LT(blob.size(), encode_v2(h).size());
  expect_same_histogram(must_decode(blob), h);
  Result<HdrHistogram> via_text = decode_base64(encode_compressed_base64(h));
  ASSERT_TRUE(via_text.ok());
  expect_same_histogram(via_text.value(), h);
}

TEST(HdrCodecTest, EmptyHistogramRoundTrip) {
  const HdrHistogram empty;
  EXPECT_EQ(encode_v2(empty).size(), 40u);
  HdrHistogram decoded = must_decode(encode_v2_compressed(empty));
  EXPECT_TRUE(decoded.empty());
  EXPECT_TRUE(decoded.same_config(empty));
}

TEST(HdrCodecTest, HugeValuesAndCountsRoundTrip) {
  HdrHistogram h(1, INT64_MAX, 3);
  h.record(INT64_MAX, 1'000'000'000'000'000);
  h.record(INT64_MAX / 3, 5);
  h.record(1, INT64_MAX / 4);
  const HdrHistogram decoded = must_decode(encode_v2_compressed(h));
  expect_same_histogram(decoded, h);
  EXPECT_EQ(decoded.max(), INT64_MAX);
}

TEST(HdrCodecTest, OtherConfigurationsRoundTrip) {
  HdrHistogram h(1000, 100'000'000'000, 5);
  for (int64_t v = 1; v < 90'000'000'000; v = v * 3 + 7) h.record(v, v % 7 + 1);
  expect_same_histogram(must_decode(encode_v2_compressed(h)), h);
}

TEST(HdrCodecTest, SaturatedValuesKeepTheirBucketButNotTheSaturatedCount) {
  HdrHistogram h;
  h.record(10);
  h.record(99'000'000'000, 4);
  const HdrHistogram decoded = must_decode(encode_v2_compressed(h));
  expect_same_histogram(decoded, h);
  EXPECT_EQ(decoded.count_at(decoded.highest_trackable()), 4);
  EXPECT_EQ(decoded.saturated_count(), 0);  // not part of the V2 format
}

TEST(HdrCodecTest, DecodesBlobWrittenByHdrHistogramJs) {
  // hdr-histogram-js 3.0.1 encodeIntoCompressedBase64 of 1×1, 5×2, 7×1000, 1×2048, 3×123456,
  // 2×3e9 (default stampede configuration). It writes 1 as normalizing offset and an int64 1 as
  // conversion ratio, unlike Java; both fields must be ignored.
  Result<HdrHistogram> decoded = decode_base64(
      "HISTFAAAADN4nJNpmSzMwMAgwMDAwMjAwMDMAAEgNsO1yUsY4HwmrpP8fGsFmPrj2Ka/YGQBAKAEB5I=");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  const HdrHistogram& h = decoded.value();
  EXPECT_TRUE(h.same_config(HdrHistogram()));
  EXPECT_EQ(h.total_count(), 19);
  EXPECT_EQ(h.count_at(1), 1);
  EXPECT_EQ(h.count_at(2), 5);
  EXPECT_EQ(h.count_at(1000), 7);
  EXPECT_EQ(h.count_at(2048), 1);
  EXPECT_EQ(h.count_at(123456), 3);
  EXPECT_EQ(h.count_at(3'000'000'000), 2);
  EXPECT_EQ(h.value_at_percentile(50), 1000);  // what hdr-histogram-js answers
  EXPECT_EQ(h.value_at_percentile(99), 3'001'024'511);
}

TEST(HdrCodecTest, DecodeErrors) {
  const HdrHistogram h = random_histogram(3);
  const std::vector<uint8_t> raw = encode_v2(h);
  const std::vector<uint8_t> packed = encode_v2_compressed(h);

  EXPECT_NE(decode_error({}).find("truncated"), std::string::npos);
  std::vector<uint8_t> bad_cookie = raw;
  bad_cookie[1] = 0x00;
  EXPECT_NE(decode_error(bad_cookie).find("bad cookie 0x1c009313"), std::string::npos);
  EXPECT_NE(decode_error(std::span(raw).first(20)).find("truncated V2 header"), std::string::npos);
  EXPECT_NE(decode_error(std::span(raw).first(raw.size() - 1)).find("truncated V2 payload"),
            std::string::npos);
  EXPECT_NE(decode_error(std::span(packed).first(6)).find("truncated"), std::string::npos);
  EXPECT_NE(decode_error(std::span(packed).first(packed.size() - 3)).find("truncated"),
            std::string::npos);

  // Payload length shortened so the last varint is cut in half.
  std::vector<uint8_t> cut_varint = encode_v2(HdrHistogram(1, 1000, 2));
  cut_varint.insert(cut_varint.end(), {0xd8, 0x04});
  cut_varint[7] = 1;
  EXPECT_NE(decode_error(cut_varint).find("truncated varint"), std::string::npos);

  std::vector<uint8_t> corrupt = packed;
  for (size_t i = 12; i < corrupt.size(); i += 3) corrupt[i] ^= 0x5a;
  EXPECT_NE(decode_error(corrupt).find("zlib"), std::string::npos);

  // A compressed frame whose length field promises more than the buffer holds.
  std::vector<uint8_t> long_length = packed;
  long_length[4] = 0x7f;
  EXPECT_NE(decode_error(long_length).find("truncated compressed payload"), std::string::npos);
}

TEST(HdrCodecTest, DecodeRejectsCountsOutsideTheHistogram) {
  std::vector<uint8_t> blob = encode_v2(HdrHistogram(1, 1000, 2));  // 512 buckets
  const auto append = [&](std::initializer_list<uint8_t> b) {
    blob.insert(blob.end(), b);
    blob[7] = static_cast<uint8_t>(blob.size() - 40);
  };
  append({0xff, 0x0f});  // zero run of 1024 (zigzag 2047)
  append({0x02});        // then a count past the end
  EXPECT_NE(decode_error(blob).find("exceeds the counts array"), std::string::npos);

  std::vector<uint8_t> bad_config = encode_v2(HdrHistogram());
  bad_config[15] = 9;  // 9 significant figures
  EXPECT_NE(decode_error(bad_config).find("significant figures"), std::string::npos);

  std::vector<uint8_t> nested = encode_v2_compressed(HdrHistogram());
  nested[3] = 0x13;  // claims uncompressed V2 while holding zlib data
  EXPECT_NE(decode_error(nested).find("truncated V2 header"), std::string::npos);
}

}  // namespace
}  // namespace stampede
