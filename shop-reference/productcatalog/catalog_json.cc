#include "shop-reference/productcatalog/catalog_json.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "shop-reference/common/money.h"

namespace shop {
namespace {

using nlohmann::json;
using stampede::Error;
using stampede::Result;

// Field readers return an Error naming `path` (e.g. "products[1].name"); the caller adds the
// source name once, at the top.
Result<std::string> string_field(const json& obj, const char* key, const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end()) return Error(path + "." + key + ": required field missing");
  if (!it->is_string()) return Error(path + "." + key + ": expected a string");
  return it->get<std::string>();
}

Result<int64_t> integer_field(const json& obj, const char* key, const std::string& path,
                              int64_t min, int64_t max) {
  auto it = obj.find(key);
  if (it == obj.end()) return Error(path + "." + key + ": required field missing");
  const std::string range = " in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  // Unsigned values past int64 max are out of range too; floats are not integers.
  if (it->is_number_unsigned()) {
    if (it->get<uint64_t>() > static_cast<uint64_t>(max)) {
      return Error(path + "." + key + ": expected an integer" + range);
    }
    return static_cast<int64_t>(it->get<uint64_t>());
  }
  if (!it->is_number_integer()) return Error(path + "." + key + ": expected an integer" + range);
  const int64_t v = it->get<int64_t>();
  if (v < min || v > max) return Error(path + "." + key + ": expected an integer" + range);
  return v;
}

Result<hipstershop::Product> parse_product(const json& obj, const std::string& path) {
  if (!obj.is_object()) return Error(path + ": expected an object");
  auto id = string_field(obj, "id", path);
  if (!id.ok()) return id.error();
  auto name = string_field(obj, "name", path);
  if (!name.ok()) return name.error();
  auto description = string_field(obj, "description", path);
  if (!description.ok()) return description.error();
  auto picture = string_field(obj, "picture", path);
  if (!picture.ok()) return picture.error();
  hipstershop::Product p;
  p.set_id(std::move(id).value());
  p.set_name(std::move(name).value());
  p.set_description(std::move(description).value());
  p.set_picture(std::move(picture).value());

  auto price = obj.find("priceUsd");
  const std::string price_path = path + ".priceUsd";
  if (price == obj.end()) return Error(price_path + ": required field missing");
  if (!price->is_object()) return Error(price_path + ": expected an object");
  auto code = string_field(*price, "currencyCode", price_path);
  if (!code.ok()) return code.error();
  auto units = integer_field(*price, "units", price_path, std::numeric_limits<int64_t>::min(),
                             std::numeric_limits<int64_t>::max());
  if (!units.ok()) return units.error();
  auto nanos = integer_field(*price, "nanos", price_path, -(kNanosPerUnit - 1), kNanosPerUnit - 1);
  if (!nanos.ok()) return nanos.error();
  *p.mutable_price_usd() =
      make_money(code.value(), units.value(), static_cast<int32_t>(nanos.value()));

  if (auto cats = obj.find("categories"); cats != obj.end()) {
    if (!cats->is_array()) return Error(path + ".categories: expected an array of strings");
    for (size_t i = 0; i < cats->size(); ++i) {
      const json& c = (*cats)[i];
      if (!c.is_string()) {
        return Error(path + ".categories[" + std::to_string(i) + "]: expected a string");
      }
      p.add_categories(c.get<std::string>());
    }
  }
  return p;
}

}  // namespace

Result<Catalog> parse_catalog_json(std::string_view text, std::string_view source) {
  const std::string prefix(source);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    // nlohmann's message carries the byte offset; exceptions stop here, at our boundary.
    return Error(prefix + ": malformed JSON: " + e.what());
  }
  if (!doc.is_object()) return Error(prefix + ": expected a JSON object with \"products\"");
  auto list = doc.find("products");
  if (list == doc.end()) return Error(prefix + ": products: required field missing");
  if (!list->is_array()) return Error(prefix + ": products: expected an array");
  std::vector<hipstershop::Product> products;
  products.reserve(list->size());
  for (size_t i = 0; i < list->size(); ++i) {
    auto p = parse_product((*list)[i], "products[" + std::to_string(i) + "]");
    if (!p.ok()) return p.error().with_context(prefix);
    products.push_back(std::move(p).value());
  }
  auto catalog = Catalog::from_products(std::move(products));
  if (!catalog.ok()) return catalog.error().with_context(prefix);
  return catalog;
}

Result<Catalog> load_catalog_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error(path + ": read failed");
  return parse_catalog_json(text.str(), path);
}

}  // namespace shop
