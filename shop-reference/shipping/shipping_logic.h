// ShippingService domain logic: Online Boutique's flat quote and tracking ids, plus an
// in-memory registry of shipments so a saga can cancel one (by tracking id or order id).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "demo.pb.h"

namespace shop {

using CartItems = google::protobuf::RepeatedPtrField<hipstershop::CartItem>;

// GetQuote: USD 8.99 when the items' total quantity is > 0, else USD 0.00 (Online Boutique's
// flat quote). Errors (INVALID_ARGUMENT): a negative quantity.
stampede::Result<hipstershop::Money> quote(const CartItems& items);

// Online Boutique's salt for a tracking id: "<street_address>, <city>, <state>".
std::string address_salt(const hipstershop::Address& address);

// A tracking id in Online Boutique's shape: two random letters A-Z, '-', len(salt) then 3
// random digits, '-', len(salt)/2 then 7 random digits; e.g. "QZ-44123-221234567".
std::string make_tracking_id(std::string_view salt, std::mt19937_64& rng);

// One shipment as recorded by ShipmentRegistry.
struct Shipment {
  std::string tracking_id;
  std::string order_id;  // empty when the caller sent none (Online Boutique's checkout)
  hipstershop::Address address;
  std::vector<hipstershop::CartItem> items;
  bool cancelled = false;
};

struct CancelOutcome {
  bool cancelled = false;  // false: unknown, or already cancelled (nothing was done)
};

// The shipments this process has made, in memory. Thread-safe (one mutex; every operation is
// a few map look-ups). Holds at most `capacity` shipments: past that the oldest is forgotten,
// so memory stays bounded under endless load, and a forgotten shipment counts as unknown.
class ShipmentRegistry {
 public:
  static constexpr size_t kDefaultCapacity = 100'000;

  // `seed` fixes the tracking ids (tests); by default it comes from std::random_device.
  explicit ShipmentRegistry(size_t capacity = kDefaultCapacity,
                            std::optional<uint64_t> seed = std::nullopt);

  // ShipOrder: records a shipment and returns its fresh, unique tracking id. With a non-empty
  // order_id it is idempotent: the same order_id returns the first call's tracking id.
  // Errors (FAILED_PRECONDITION): that order's shipment was cancelled.
  stampede::Result<std::string> ship(std::string_view order_id, const hipstershop::Address& address,
                                     const CartItems& items);

  // CancelShipment by tracking id and/or order id; idempotent (see CancelOutcome). Errors
  // (INVALID_ARGUMENT): both empty, or both given and naming different shipments.
  stampede::Result<CancelOutcome> cancel(std::string_view tracking_id, std::string_view order_id);

  // Copies of a recorded shipment, or nullopt when unknown.
  std::optional<Shipment> find_by_tracking_id(std::string_view tracking_id) const;
  std::optional<Shipment> find_by_order_id(std::string_view order_id) const;
  // Number of shipments held (at most capacity).
  size_t size() const;

 private:
  const Shipment* find_locked(std::string_view tracking_id, std::string_view order_id) const;
  std::string unique_tracking_id_locked(std::string_view salt);
  void evict_oldest_locked();

  const size_t capacity_;
  mutable std::mutex mu_;
  std::mt19937_64 rng_;                                    // guarded by mu_
  std::unordered_map<std::string, Shipment> by_tracking_;  // guarded by mu_
  std::unordered_map<std::string, std::string> by_order_;  // order id -> tracking id; mu_
  std::deque<std::string> arrival_;                        // tracking ids, oldest first; mu_
  uint64_t fallback_serial_ = 0;                           // guarded by mu_
};

}  // namespace shop
