// Test helper: readable gtest output for cart values.
#pragma once

#include <ostream>

#include "shop-reference/cart/cart_store.h"

namespace shop {

// gtest finds this by argument-dependent lookup when printing a CartLine.
inline void PrintTo(const CartLine& line, std::ostream* os) {
  *os << "{" << line.product_id << " x" << line.quantity << "}";
}

}  // namespace shop
