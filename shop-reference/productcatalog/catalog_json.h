// Reading a Catalog from JSON in Online Boutique's products.json shape:
//   {"products": [{"id", "name", "description", "picture",
//                  "priceUsd": {"currencyCode", "units", "nanos"}, "categories": [...]}]}
// id, name, description, picture and priceUsd are required; categories may be absent; other
// fields are ignored. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "shop-reference/productcatalog/catalog.h"

namespace shop {

// Parses `text`. Errors name `source`, then the JSON path of the bad field:
// "<source>: products[2].priceUsd.nanos: expected an integer in [-999999999, 999999999]".
stampede::Result<Catalog> parse_catalog_json(std::string_view text, std::string_view source);

// Reads and parses the file at `path`; errors name the file (unreadable, malformed, bad field).
stampede::Result<Catalog> load_catalog_json(const std::string& path);

}  // namespace shop
