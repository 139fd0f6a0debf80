// Random identifiers: RFC 4122 version-4 UUIDs in their 36-character text form.
//
// Thread-safe: each thread draws from its own engine, seeded once from std::random_device.
// Not for secrets (the engine is a Mersenne twister, not a CSPRNG).
#pragma once

#include <string>
#include <string_view>

namespace shop {

// A fresh version-4 UUID, lower-case hex: "xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx", N in 8..b.
std::string uuid4();

// True when `s` is a UUID in 8-4-4-4-12 hex form (either case, any version or variant).
bool is_uuid(std::string_view s);

}  // namespace shop
