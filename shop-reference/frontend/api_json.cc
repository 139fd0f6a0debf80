#include "shop-reference/frontend/api_json.h"

#include "shop-reference/common/money.h"

namespace shop {
namespace {

nlohmann::json items_json(const google::protobuf::RepeatedPtrField<hipstershop::OrderItem>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& item : items) {
    out.push_back({{"product_id", item.item().product_id()},
                   {"quantity", item.item().quantity()},
                   {"cost", money_json(item.cost())}});
  }
  return out;
}

}  // namespace

nlohmann::json money_json(const hipstershop::Money& money) {
  return {{"currency_code", money.currency_code()},
          {"units", money.units()},
          {"nanos", money.nanos()},
          {"text", to_string(money)}};
}

nlohmann::json address_json(const hipstershop::Address& address) {
  return {{"street_address", address.street_address()},
          {"city", address.city()},
          {"state", address.state()},
          {"country", address.country()},
          {"zip_code", address.zip_code()}};
}

nlohmann::json product_json(const hipstershop::Product& product, const hipstershop::Money& price) {
  nlohmann::json categories = nlohmann::json::array();
  for (const auto& c : product.categories()) categories.push_back(c);
  return {{"id", product.id()},
          {"name", product.name()},
          {"description", product.description()},
          {"picture", product.picture()},
          {"categories", std::move(categories)},
          {"price", money_json(price)}};
}

nlohmann::json order_result_json(const hipstershop::OrderResult& order,
                                 const std::optional<hipstershop::Money>& total) {
  nlohmann::json out = {{"order_id", order.order_id()},
                        {"shipping_tracking_id", order.shipping_tracking_id()},
                        {"shipping_cost", money_json(order.shipping_cost())},
                        {"shipping_address", address_json(order.shipping_address())},
                        {"items", items_json(order.items())}};
  if (total) out["total"] = money_json(*total);
  return out;
}

nlohmann::json order_json(const hipstershop::Order& order) {
  nlohmann::json history = nlohmann::json::array();
  for (const auto& change : order.history()) {
    history.push_back({{"status", hipstershop::OrderStatus_Name(change.status())},
                       {"at_unix_ms", change.at_unix_ms()},
                       {"detail", change.detail()}});
  }
  return {{"order_id", order.order_id()},
          {"status", hipstershop::OrderStatus_Name(order.status())},
          {"email", order.email()},
          {"currency_code", order.currency_code()},
          {"items", items_json(order.items())},
          {"shipping_cost", money_json(order.shipping_cost())},
          {"total", money_json(order.total())},
          {"shipping_address", address_json(order.shipping_address())},
          {"transaction_id", order.transaction_id()},
          {"shipping_tracking_id", order.tracking_id()},
          {"created_unix_ms", order.created_unix_ms()},
          {"updated_unix_ms", order.updated_unix_ms()},
          {"history", std::move(history)}};
}

}  // namespace shop
