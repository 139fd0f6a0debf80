// Random (version 4) UUIDs for transaction and refund ids.
#pragma once

#include <string>

namespace shop {

// A new RFC 4122 version-4 UUID in lower-case 8-4-4-4-12 form. Thread-safe: each thread owns a
// std::mt19937_64 seeded from std::random_device.
std::string new_uuid4();

}  // namespace shop
