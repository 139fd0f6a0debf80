#include "shop-reference/shipping/shipping_logic.h"

#include <algorithm>
#include <utility>

#include "shop-reference/common/money.h"

namespace shop {
namespace {

using stampede::Error;
using stampede::Result;

std::string random_digits(int count, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> digit(0, 9);
  std::string out;
  for (int i = 0; i < count; ++i) out.push_back(static_cast<char>('0' + digit(rng)));
  return out;
}

uint64_t fresh_seed() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

}  // namespace

Result<hipstershop::Money> quote(const CartItems& items) {
  int64_t total = 0;
  for (int i = 0; i < items.size(); ++i) {
    const auto& item = items.Get(i);
    if (item.quantity() < 0) {
      return Error("quote: items[" + std::to_string(i) + "] (" + item.product_id() +
                   "): negative quantity " + std::to_string(item.quantity()));
    }
    total += item.quantity();  // <= 2^31 items of < 2^31 each: cannot overflow int64
  }
  return total > 0 ? make_money("USD", 8, 990'000'000) : make_money("USD", 0, 0);
}

std::string address_salt(const hipstershop::Address& address) {
  return address.street_address() + ", " + address.city() + ", " + address.state();
}

std::string make_tracking_id(std::string_view salt, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> letter(0, 25);
  std::string out;
  out.push_back(static_cast<char>('A' + letter(rng)));
  out.push_back(static_cast<char>('A' + letter(rng)));
  out += "-" + std::to_string(salt.size()) + random_digits(3, rng);
  out += "-" + std::to_string(salt.size() / 2) + random_digits(7, rng);
  return out;
}

ShipmentRegistry::ShipmentRegistry(size_t capacity, std::optional<uint64_t> seed)
    : capacity_(std::max<size_t>(capacity, 1)), rng_(seed ? *seed : fresh_seed()) {}

Result<std::string> ShipmentRegistry::ship(std::string_view order_id,
                                           const hipstershop::Address& address,
                                           const CartItems& items) {
  std::lock_guard lock(mu_);
  if (!order_id.empty()) {
    if (auto it = by_order_.find(std::string(order_id)); it != by_order_.end()) {
      const Shipment& existing = by_tracking_.at(it->second);
      if (existing.cancelled) {
        return Error("ship: the shipment of order '" + std::string(order_id) + "' (" +
                     existing.tracking_id + ") was cancelled");
      }
      return existing.tracking_id;
    }
  }
  if (by_tracking_.size() >= capacity_) evict_oldest_locked();
  Shipment s;
  s.tracking_id = unique_tracking_id_locked(address_salt(address));
  s.order_id = std::string(order_id);
  s.address = address;
  s.items.assign(items.begin(), items.end());
  const std::string tracking_id = s.tracking_id;
  if (!s.order_id.empty()) by_order_.emplace(s.order_id, tracking_id);
  arrival_.push_back(tracking_id);
  by_tracking_.emplace(tracking_id, std::move(s));
  return tracking_id;
}

Result<CancelOutcome> ShipmentRegistry::cancel(std::string_view tracking_id,
                                               std::string_view order_id) {
  if (tracking_id.empty() && order_id.empty()) {
    return Error("cancel: tracking_id or order_id is required");
  }
  std::lock_guard lock(mu_);
  const Shipment* by_tracking = tracking_id.empty() ? nullptr : find_locked(tracking_id, {});
  const Shipment* by_order = order_id.empty() ? nullptr : find_locked({}, order_id);
  if (!tracking_id.empty() && !order_id.empty() && by_tracking != by_order) {
    return Error("cancel: tracking_id '" + std::string(tracking_id) + "' and order_id '" +
                 std::string(order_id) + "' name different shipments");
  }
  const Shipment* found = by_tracking ? by_tracking : by_order;
  if (found == nullptr || found->cancelled) return CancelOutcome{false};
  // find_locked hands out const pointers; the map entry itself is ours to change.
  by_tracking_.at(found->tracking_id).cancelled = true;
  return CancelOutcome{true};
}

std::optional<Shipment> ShipmentRegistry::find_by_tracking_id(std::string_view tracking_id) const {
  std::lock_guard lock(mu_);
  const Shipment* s = find_locked(tracking_id, {});
  return s ? std::optional<Shipment>(*s) : std::nullopt;
}

std::optional<Shipment> ShipmentRegistry::find_by_order_id(std::string_view order_id) const {
  std::lock_guard lock(mu_);
  const Shipment* s = find_locked({}, order_id);
  return s ? std::optional<Shipment>(*s) : std::nullopt;
}

size_t ShipmentRegistry::size() const {
  std::lock_guard lock(mu_);
  return by_tracking_.size();
}

const Shipment* ShipmentRegistry::find_locked(std::string_view tracking_id,
                                              std::string_view order_id) const {
  std::string key(tracking_id);
  if (key.empty()) {
    if (order_id.empty()) return nullptr;
    auto it = by_order_.find(std::string(order_id));
    if (it == by_order_.end()) return nullptr;
    key = it->second;
  }
  auto it = by_tracking_.find(key);
  return it == by_tracking_.end() ? nullptr : &it->second;
}

std::string ShipmentRegistry::unique_tracking_id_locked(std::string_view salt) {
  // 26^2 * 10^10 ids make a clash all but impossible; the bounded retry plus a serial suffix
  // makes uniqueness certain without an unbounded loop.
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string id = make_tracking_id(salt, rng_);
    if (!by_tracking_.count(id)) return id;
  }
  return make_tracking_id(salt, rng_) + "-" + std::to_string(++fallback_serial_);
}

void ShipmentRegistry::evict_oldest_locked() {
  if (arrival_.empty()) return;
  auto it = by_tracking_.find(arrival_.front());
  arrival_.pop_front();
  if (it == by_tracking_.end()) return;
  if (!it->second.order_id.empty()) by_order_.erase(it->second.order_id);
  by_tracking_.erase(it);
}

}  // namespace shop
