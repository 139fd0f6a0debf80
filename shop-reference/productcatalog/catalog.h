// The product catalog behind ProductCatalogService: list, get by id, search.
//
// A Catalog is an immutable value once built: copy or share it freely; all const methods are
// thread-safe. The default catalog is Online Boutique's nine products; load_catalog_json()
// (catalog_json.h) reads one in Online Boutique's products.json shape.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "demo.pb.h"

namespace shop {

class Catalog {
 public:
  // Online Boutique's nine products, in its products.json order.
  Catalog();

  // A catalog of these products, in this order. Errors (one line, naming the product index and
  // field): empty id or name, duplicate id, invalid price or a price not in USD.
  static stampede::Result<Catalog> from_products(std::vector<hipstershop::Product> products);

  // All products, in catalog order (ListProducts).
  const std::vector<hipstershop::Product>& list() const { return products_; }
  // The product with this id, or nullptr when unknown (GetProduct: NOT_FOUND). The pointer
  // lives as long as this Catalog.
  const hipstershop::Product* find(std::string_view id) const;
  // Products whose name or description contains `query`, ignoring ASCII case, in catalog order
  // (SearchProducts, as Online Boutique). An empty query matches every product.
  std::vector<hipstershop::Product> search(std::string_view query) const;

 private:
  explicit Catalog(std::vector<hipstershop::Product> products, bool /*validated*/);

  std::vector<hipstershop::Product> products_;
  std::unordered_map<std::string, size_t> by_id_;
  // Lower-cased name and description per product, so search does not fold case every call.
  struct Folded {
    std::string name;
    std::string description;
  };
  std::vector<Folded> folded_;
};

// The built-in products (what Catalog() holds).
std::vector<hipstershop::Product> builtin_products();

}  // namespace shop
