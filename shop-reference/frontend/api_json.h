// The JSON shapes of the API: the protobuf messages with their proto field names, money as
// {"currency_code", "units", "nanos", "text": "USD 19.99"}, order statuses by name. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "demo.pb.h"
#include "orders.pb.h"

namespace shop {

nlohmann::json money_json(const hipstershop::Money& money);
nlohmann::json address_json(const hipstershop::Address& address);
// {"id", "name", "description", "picture", "categories", "price"} with `price` converted.
nlohmann::json product_json(const hipstershop::Product& product, const hipstershop::Money& price);
// {"order_id", "shipping_tracking_id", "shipping_cost", "shipping_address", "items": [
// {"product_id", "quantity", "cost"}], "total"} (total omitted when it could not be summed).
nlohmann::json order_result_json(const hipstershop::OrderResult& order,
                                 const std::optional<hipstershop::Money>& total);
// The order service's view: the fields above plus "status", "email", "currency_code",
// "transaction_id", "created_unix_ms", "updated_unix_ms" and "history": [{"status",
// "at_unix_ms", "detail"}].
nlohmann::json order_json(const hipstershop::Order& order);

}  // namespace shop
