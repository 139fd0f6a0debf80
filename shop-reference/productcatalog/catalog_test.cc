#include "shop-reference/productcatalog/catalog.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "shop-reference/common/money.h"

namespace shop {
namespace {

std::vector<std::string> ids_of(const std::vector<hipstershop::Product>& products) {
  std::vector<std::string> out;
  for (const auto& p : products) out.push_back(p.id());
  return out;
}

struct Expected {
  const char* id;
  const char* name;
  const char* price;
  std::vector<std::string> categories;
};

TEST(CatalogTest, BuiltinIsOnlineBoutiquesNineProducts) {
  const std::vector<Expected> want = {
      {"OLJCESPC7Z", "Sunglasses", "USD 19.99", {"accessories"}},
      {"66VCHSJNUP", "Tank Top", "USD 18.99", {"clothing", "tops"}},
      {"1YMWWN1N4O", "Watch", "USD 109.99", {"accessories"}},
      {"L9ECAV7KIM", "Loafers", "USD 89.99", {"footwear"}},
      {"2ZYFJ3GM2N", "Hairdryer", "USD 24.99", {"hair", "beauty"}},
      {"0PUK6V6EV0", "Candle Holder", "USD 18.99", {"decor", "home"}},
      {"LS4PSXUNUM", "Salt & Pepper Shakers", "USD 18.49", {"kitchen"}},
      {"9SIQT8TOJO", "Bamboo Glass Jar", "USD 5.49", {"kitchen"}},
      {"6E92ZMYYFZ", "Mug", "USD 8.99", {"kitchen"}},
  };
  Catalog catalog;
  ASSERT_EQ(catalog.list().size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const auto& p = catalog.list()[i];
    EXPECT_EQ(p.id(), want[i].id);
    EXPECT_EQ(p.name(), want[i].name);
    EXPECT_EQ(to_string(p.price_usd()), want[i].price) << p.id();
    EXPECT_TRUE(is_valid(p.price_usd())) << p.id();
    EXPECT_EQ(std::vector<std::string>(p.categories().begin(), p.categories().end()),
              want[i].categories)
        << p.id();
    EXPECT_FALSE(p.description().empty()) << p.id();
    EXPECT_EQ(p.picture().rfind("/static/img/products/", 0), 0u) << p.picture();
    EXPECT_EQ(p.picture().substr(p.picture().size() - 4), ".jpg") << p.picture();
  }
  EXPECT_EQ(catalog.list()[6].picture(), "/static/img/products/salt-and-pepper-shakers.jpg");
  EXPECT_TRUE(Catalog::from_products(builtin_products()).ok());
}

TEST(CatalogTest, FindKnownAndUnknown) {
  Catalog catalog;
  const auto* watch = catalog.find("1YMWWN1N4O");
  ASSERT_NE(watch, nullptr);
  EXPECT_EQ(watch->name(), "Watch");
  EXPECT_EQ(catalog.find("NOPE"), nullptr);
  EXPECT_EQ(catalog.find(""), nullptr);
  EXPECT_EQ(catalog.find("1ymwwn1n4o"), nullptr);  // ids are case-sensitive
}

TEST(CatalogTest, SearchIgnoresCaseInNameAndDescription) {
  Catalog catalog;
  EXPECT_EQ(ids_of(catalog.search("SUNGLASSES")), std::vector<std::string>{"OLJCESPC7Z"});
  EXPECT_EQ(ids_of(catalog.search("mUg")), std::vector<std::string>{"6E92ZMYYFZ"});
  // "glass" is in the names of Sunglasses and Bamboo Glass Jar.
  EXPECT_EQ(ids_of(catalog.search("glass")),
            (std::vector<std::string>{"OLJCESPC7Z", "9SIQT8TOJO"}));
  // Only in a description.
  EXPECT_EQ(ids_of(catalog.search("stainless steel")), std::vector<std::string>{"1YMWWN1N4O"});
  EXPECT_TRUE(catalog.search("no such thing").empty());
  EXPECT_EQ(catalog.search("").size(), 9u);
  // Categories are not searched (Online Boutique searches name and description only).
  EXPECT_TRUE(catalog.search("footwear").empty());
}

TEST(CatalogTest, FromProductsValidates) {
  auto products = builtin_products();
  products[3].set_id(products[1].id());
  auto dup = Catalog::from_products(products);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message(), "products[3].id: duplicate id '66VCHSJNUP' (also products[1])");

  products = builtin_products();
  products[0].set_id("");
  EXPECT_FALSE(Catalog::from_products(products).ok());

  products = builtin_products();
  products[2].set_name("");
  EXPECT_FALSE(Catalog::from_products(products).ok());

  products = builtin_products();
  products[2].mutable_price_usd()->set_nanos(-5);
  auto bad_price = Catalog::from_products(products);
  ASSERT_FALSE(bad_price.ok());
  EXPECT_EQ(bad_price.error().message().rfind("products[2].priceUsd: ", 0), 0u)
      << bad_price.error().message();

  products = builtin_products();
  products[4].mutable_price_usd()->set_currency_code("EUR");
  auto eur = Catalog::from_products(products);
  ASSERT_FALSE(eur.ok());
  EXPECT_NE(eur.error().message().find("products[4].priceUsd.currencyCode"), std::string::npos);

  auto empty = Catalog::from_products({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty.value().list().empty());
  EXPECT_EQ(empty.value().find("OLJCESPC7Z"), nullptr);
}

TEST(CatalogTest, CopiesAreIndependent) {
  Catalog a;
  Catalog b = a;
  EXPECT_EQ(b.find("6E92ZMYYFZ")->name(), "Mug");
  EXPECT_NE(b.find("6E92ZMYYFZ"), a.find("6E92ZMYYFZ"));
}

}  // namespace
}  // namespace shop
