#include "shop-reference/productcatalog/catalog.h"

#include <utility>

#include "shop-reference/common/money.h"

namespace shop {
namespace {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

hipstershop::Product product(const char* id, const char* name, const char* description,
                             const char* slug, int64_t units, int32_t nanos,
                             std::initializer_list<const char*> categories) {
  hipstershop::Product p;
  p.set_id(id);
  p.set_name(name);
  p.set_description(description);
  p.set_picture(std::string("/static/img/products/") + slug + ".jpg");
  *p.mutable_price_usd() = make_money("USD", units, nanos);
  for (const char* c : categories) p.add_categories(c);
  return p;
}

}  // namespace

std::vector<hipstershop::Product> builtin_products() {
  return {
      product("OLJCESPC7Z", "Sunglasses",
              "Add a modern touch to your outfits with these sleek aviator sunglasses.",
              "sunglasses", 19, 990'000'000, {"accessories"}),
      product("66VCHSJNUP", "Tank Top", "Perfectly cropped cotton tank, with a scooped neckline.",
              "tank-top", 18, 990'000'000, {"clothing", "tops"}),
      product("1YMWWN1N4O", "Watch",
              "This gold-tone stainless steel watch will work with most of your outfits.", "watch",
              109, 990'000'000, {"accessories"}),
      product("L9ECAV7KIM", "Loafers",
              "A neat addition to your summer wardrobe: leather loafers for every day.", "loafers",
              89, 990'000'000, {"footwear"}),
      product("2ZYFJ3GM2N", "Hairdryer",
              "This lightweight hairdryer has 3 heat and speed settings. It's perfect for travel.",
              "hairdryer", 24, 990'000'000, {"hair", "beauty"}),
      product("0PUK6V6EV0", "Candle Holder",
              "This small but intricate candle holder is an excellent gift.", "candle-holder", 18,
              990'000'000, {"decor", "home"}),
      product("LS4PSXUNUM", "Salt & Pepper Shakers",
              "Add some flavor to your kitchen with this matching pair of shakers.",
              "salt-and-pepper-shakers", 18, 490'000'000, {"kitchen"}),
      product("9SIQT8TOJO", "Bamboo Glass Jar",
              "This bamboo glass jar can hold 57 oz (1.7 l) and is perfect for any kitchen.",
              "bamboo-glass-jar", 5, 490'000'000, {"kitchen"}),
      product("6E92ZMYYFZ", "Mug",
              "A simple mug with a mustard interior, for your morning coffee or tea.", "mug", 8,
              990'000'000, {"kitchen"}),
  };
}

Catalog::Catalog() : Catalog(builtin_products(), true) {}

Catalog::Catalog(std::vector<hipstershop::Product> products, bool)
    : products_(std::move(products)) {
  by_id_.reserve(products_.size());
  folded_.reserve(products_.size());
  for (size_t i = 0; i < products_.size(); ++i) {
    by_id_.emplace(products_[i].id(), i);
    folded_.push_back({ascii_lower(products_[i].name()), ascii_lower(products_[i].description())});
  }
}

stampede::Result<Catalog> Catalog::from_products(std::vector<hipstershop::Product> products) {
  std::unordered_map<std::string, size_t> seen;
  for (size_t i = 0; i < products.size(); ++i) {
    const auto& p = products[i];
    const std::string where = "products[" + std::to_string(i) + "]";
    if (p.id().empty()) return stampede::Error(where + ".id: must not be empty");
    if (p.name().empty()) return stampede::Error(where + ".name: must not be empty");
    if (auto [it, inserted] = seen.emplace(p.id(), i); !inserted) {
      return stampede::Error(where + ".id: duplicate id '" + p.id() + "' (also products[" +
                             std::to_string(it->second) + "])");
    }
    if (auto s = validate(p.price_usd()); !s.ok()) {
      return s.error().with_context(where + ".priceUsd");
    }
    if (p.price_usd().currency_code() != "USD") {
      return stampede::Error(where + ".priceUsd.currencyCode: expected USD, got '" +
                             p.price_usd().currency_code() + "'");
    }
  }
  return Catalog(std::move(products), true);
}

const hipstershop::Product* Catalog::find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &products_[it->second];
}

std::vector<hipstershop::Product> Catalog::search(std::string_view query) const {
  const std::string needle = ascii_lower(query);
  std::vector<hipstershop::Product> out;
  for (size_t i = 0; i < products_.size(); ++i) {
    if (folded_[i].name.find(needle) != std::string::npos ||
        folded_[i].description.find(needle) != std::string::npos) {
      out.push_back(products_[i]);
    }
  }
  return out;
}

}  // namespace shop
