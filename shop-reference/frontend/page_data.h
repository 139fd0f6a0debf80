// What the pages and the JSON API show, loaded from the backends: products with prices in the
// shopper's currency, the cart with line totals, shipping and total, the optional ad and
// recommendations (which degrade to "absent" instead of failing the answer).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shop-reference/frontend/backends.h"

namespace shop {

struct PricedProduct {
  hipstershop::Product product;
  hipstershop::Money price;  // in the shopper's currency
};

// Not "CartLine": the cart service's shop::CartLine links into the same binary, and two
// classes of one name break the One Definition Rule (their std::vector code gets merged).
struct PricedCartLine {
  hipstershop::Product product;
  int32_t quantity = 0;
  hipstershop::Money unit_price;  // in the shopper's currency
  hipstershop::Money total;       // unit_price * quantity
};

struct CartView {
  std::vector<PricedCartLine> lines;
  hipstershop::Money shipping;  // quote, in the shopper's currency
  hipstershop::Money total;     // lines + shipping
  int64_t size = 0;             // items counted with their quantities
};

// Items counted with their quantities (Online Boutique's cart size).
int64_t cart_size(const hipstershop::Cart& cart);

// The currencies offered: the currency service's list filtered to Online Boutique's whitelist.
Outcome<std::vector<std::string>> load_currencies(Backends& backends);
// Every product with its price converted.
Outcome<std::vector<PricedProduct>> load_products(Backends& backends, const std::string& currency);
// One product with its price converted; NOT_FOUND (from the catalog) for an unknown id.
Outcome<PricedProduct> load_product(Backends& backends, const std::string& id,
                                    const std::string& currency);
// The cart's lines (product + converted price per item), the converted shipping quote and the
// total. Any failing call fails the whole view.
Outcome<CartView> load_cart_view(Backends& backends, const hipstershop::Cart& cart,
                                 const std::string& currency);
// Shipping plus every item's cost times its quantity, as Online Boutique's order page shows it.
// INTERNAL when the amounts do not add up (mixed currencies, overflow).
Outcome<hipstershop::Money> order_total(const hipstershop::OrderResult& order);

// One ad for `context_keys`; nullopt when the ad service is not configured, has none, or
// failed (then counted in shop_degraded_responses_total{dependency="ad"}).
std::optional<hipstershop::Ad> choose_ad(Backends& backends,
                                         const std::vector<std::string>& context_keys);
// Up to four recommended products (without `product_ids`); nullopt when the service is not
// configured or failed (counted as degraded, as is a failed product lookup for them).
std::optional<std::vector<hipstershop::Product>> load_recommendations(
    Backends& backends, const std::string& user_id, const std::vector<std::string>& product_ids);

}  // namespace shop
