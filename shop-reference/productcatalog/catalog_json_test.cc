#include "shop-reference/productcatalog/catalog_json.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace shop {
namespace {

constexpr const char* kTwoProducts = R"({"products": [
  {"id": "A1", "name": "Alpha", "description": "First thing", "picture": "/a.jpg",
   "priceUsd": {"currencyCode": "USD", "units": 3, "nanos": 500000000},
   "categories": ["x", "y"], "extra": true},
  {"id": "B2", "name": "Beta", "description": "Second thing", "picture": "/b.jpg",
   "priceUsd": {"currencyCode": "USD", "units": 0, "nanos": 990000000}}
]})";

// Expects `json` to be rejected with exactly "src.json: <want>".
void expect_error(const std::string& json, const std::string& want) {
  auto r = parse_catalog_json(json, "src.json");
  ASSERT_FALSE(r.ok()) << json;
  EXPECT_EQ(r.error().message(), "src.json: " + want);
}

// A product object with one field replaced (or removed when `value` is empty).
std::string with_field(const std::string& key, const std::string& value) {
  std::string fields[][2] = {{"id", R"("A1")"},
                             {"name", R"("Alpha")"},
                             {"description", R"("d")"},
                             {"picture", R"("/a.jpg")"},
                             {"priceUsd", R"({"currencyCode": "USD", "units": 1, "nanos": 0})"}};
  std::string out = R"({"products": [{)";
  bool first = true;
  for (auto& [k, v] : fields) {
    const std::string& val = k == key ? value : v;
    if (val.empty()) continue;
    out += (first ? "" : ", ") + ("\"" + k + "\": ") + val;
    first = false;
  }
  return out + "}]}";
}

TEST(CatalogJsonTest, ParsesOnlineBoutiqueShape) {
  auto r = parse_catalog_json(kTwoProducts, "inline");
  ASSERT_TRUE(r.ok()) << r.error().message();
  const Catalog& c = r.value();
  ASSERT_EQ(c.list().size(), 2u);
  const auto* a = c.find("A1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name(), "Alpha");
  EXPECT_EQ(a->description(), "First thing");
  EXPECT_EQ(a->picture(), "/a.jpg");
  EXPECT_EQ(a->price_usd().units(), 3);
  EXPECT_EQ(a->price_usd().nanos(), 500'000'000);
  ASSERT_EQ(a->categories_size(), 2);
  EXPECT_EQ(a->categories(1), "y");
  EXPECT_EQ(c.find("B2")->categories_size(), 0);
  EXPECT_EQ(c.search("second").size(), 1u);
}

TEST(CatalogJsonTest, ErrorsNameSourceAndField) {
  expect_error(R"([1])", R"(expected a JSON object with "products")");
  expect_error(R"({})", "products: required field missing");
  expect_error(R"({"products": {}})", "products: expected an array");
  expect_error(R"({"products": [7]})", "products[0]: expected an object");
  expect_error(with_field("id", ""), "products[0].id: required field missing");
  expect_error(with_field("name", "5"), "products[0].name: expected a string");
  expect_error(with_field("priceUsd", ""), "products[0].priceUsd: required field missing");
  expect_error(with_field("priceUsd", "[]"), "products[0].priceUsd: expected an object");
  expect_error(with_field("priceUsd", R"({"currencyCode": "USD", "units": "1", "nanos": 0})"),
               "products[0].priceUsd.units: expected an integer in [-9223372036854775808, "
               "9223372036854775807]");
  expect_error(with_field("priceUsd", R"({"currencyCode": "USD", "units": 1.5, "nanos": 0})"),
               "products[0].priceUsd.units: expected an integer in [-9223372036854775808, "
               "9223372036854775807]");
  expect_error(with_field("priceUsd",
                          R"({"currencyCode": "USD", "units": 18446744073709551615, "nanos": 0})"),
               "products[0].priceUsd.units: expected an integer in [-9223372036854775808, "
               "9223372036854775807]");
  expect_error(
      with_field("priceUsd", R"({"currencyCode": "USD", "units": 1, "nanos": 1000000000})"),
      "products[0].priceUsd.nanos: expected an integer in [-999999999, 999999999]");
  expect_error(with_field("priceUsd", R"({"units": 1, "nanos": 0})"),
               "products[0].priceUsd.currencyCode: required field missing");
  expect_error(with_field("priceUsd", R"({"currencyCode": "EUR", "units": 1, "nanos": 0})"),
               "products[0].priceUsd.currencyCode: expected USD, got 'EUR'");
  expect_error(R"({"products": [{"id": "A", "name": "n", "description": "d", "picture": "p",
      "priceUsd": {"currencyCode": "USD", "units": 1, "nanos": 0}, "categories": ["a", 3]}]})",
               "products[0].categories[1]: expected a string");
  expect_error(R"({"products": [{"id": "A", "name": "n", "description": "d", "picture": "p",
      "priceUsd": {"currencyCode": "USD", "units": 1, "nanos": 0}, "categories": "a"}]})",
               "products[0].categories: expected an array of strings");
}

TEST(CatalogJsonTest, MalformedJsonNamesSource) {
  auto r = parse_catalog_json(R"({"products": [)", "broken.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message().rfind("broken.json: malformed JSON: ", 0), 0u)
      << r.error().message();
  EXPECT_EQ(r.error().message().find('\n'), std::string::npos);
}

TEST(CatalogJsonTest, DuplicateIdsRejected) {
  auto r = parse_catalog_json(
      R"({"products": [
        {"id": "A", "name": "n", "description": "d", "picture": "p",
         "priceUsd": {"currencyCode": "USD", "units": 1, "nanos": 0}},
        {"id": "A", "name": "m", "description": "d", "picture": "p",
         "priceUsd": {"currencyCode": "USD", "units": 2, "nanos": 0}}]})",
      "dup.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "dup.json: products[1].id: duplicate id 'A' (also products[0])");
}

class CatalogFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/catalog_json_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    unlink((dir_ + "/products.json").c_str());
    rmdir(dir_.c_str());
  }
  std::string dir_;
};

TEST_F(CatalogFileTest, LoadsFile) {
  const std::string path = dir_ + "/products.json";
  std::ofstream(path) << kTwoProducts;
  auto r = load_catalog_json(path);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.value().list().size(), 2u);
}

TEST_F(CatalogFileTest, MissingFileNamesPath) {
  const std::string path = dir_ + "/absent.json";
  auto r = load_catalog_json(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), path + ": cannot open: No such file or directory");
}

TEST_F(CatalogFileTest, BadFieldInFileNamesPathAndField) {
  const std::string path = dir_ + "/products.json";
  std::ofstream(path) << with_field("picture", "null");
  auto r = load_catalog_json(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), path + ": products[0].picture: expected a string");
}

}  // namespace
}  // namespace shop
