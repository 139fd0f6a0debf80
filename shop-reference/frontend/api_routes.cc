#include "shop-reference/frontend/api_routes.h"

#include <limits>

#include "shop-reference/common/log.h"
#include "shop-reference/frontend/api_json.h"
#include "shop-reference/frontend/checkout_flow.h"
#include "shop-reference/frontend/frontend_metrics.h"
#include "shop-reference/frontend/inputs.h"
#include "shop-reference/frontend/page_data.h"

namespace shop {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;

Response not_found(const RequestContext& ctx, const std::string& what, const std::string& id) {
  return error_response(ctx, http::status::not_found, what + " '" + id + "' not found");
}

// The cart as the API shows it, or the failure.
Outcome<json> cart_body(Backends& backends, const Session& session) {
  auto cart = backends.get_cart(session.id);
  if (!cart.ok()) return cart.fail_as<json>();
  json items = json::array();
  for (const auto& item : cart.value.items()) {
    json entry = {{"product_id", item.product_id()}, {"quantity", item.quantity()}};
    auto product = load_product(backends, item.product_id(), session.currency);
    if (product.ok()) {
      entry["name"] = product.value.product.name();
      entry["price"] = money_json(product.value.price);
    } else if (product.status.error_code() != grpc::NOT_FOUND) {
      return product.fail_as<json>();
    }
    items.push_back(std::move(entry));
  }
  return succeeded<json>({{"currency", session.currency},
                          {"items", std::move(items)},
                          {"total_items", cart_size(cart.value)}});
}

Response cart_response(Backends& backends, RequestContext& ctx) {
  auto body = cart_body(backends, ctx.session);
  if (!body.ok()) return backend_failure(ctx, "could not retrieve cart", body);
  return json_response(ctx, http::status::ok, body.value);
}

}  // namespace

Response api_list_products(Backends& backends, RequestContext& ctx) {
  std::string currency = ctx.query.get("currency").value_or(ctx.session.currency);
  if (!is_whitelisted_currency(currency)) {
    return error_response(ctx, http::status::unprocessable_entity,
                          "currency: must be one of USD, EUR, CAD, JPY, GBP, TRY");
  }
  auto products = load_products(backends, currency);
  if (!products.ok()) return backend_failure(ctx, "could not retrieve products", products);
  json list = json::array();
  for (const auto& p : products.value) list.push_back(product_json(p.product, p.price));
  return json_response(ctx, http::status::ok, {{"currency", currency}, {"products", list}});
}

Response api_get_product(Backends& backends, RequestContext& ctx) {
  const std::string& id = ctx.params.at(0);
  if (!is_valid_product_id(id)) return not_found(ctx, "product", id);
  auto product = load_product(backends, id, ctx.session.currency);
  if (product.status.error_code() == grpc::NOT_FOUND) return not_found(ctx, "product", id);
  if (!product.ok()) return backend_failure(ctx, "could not retrieve product", product);
  return json_response(ctx, http::status::ok,
                       {{"product", product_json(product.value.product, product.value.price)}});
}

Response api_get_cart(Backends& backends, RequestContext& ctx) {
  return cart_response(backends, ctx);
}

Response api_add_to_cart(Backends& backends, RequestContext& ctx) {
  auto doc = json::parse(ctx.request.body(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return error_response(ctx, http::status::bad_request,
                          "expected a JSON object {\"product_id\": string, \"quantity\": integer}");
  }
  auto id = doc.find("product_id");
  if (id == doc.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
    return error_response(ctx, http::status::bad_request, "product_id: expected a string");
  }
  auto q = doc.find("quantity");
  if (q == doc.end() || !q->is_number_integer()) {
    return error_response(ctx, http::status::bad_request, "quantity: expected an integer");
  }
  // Unsigned values past int64 are out of range, not a different number.
  int64_t quantity = q->is_number_unsigned() && q->get<uint64_t>() > INT64_MAX
                         ? std::numeric_limits<int64_t>::max()
                         : q->get<int64_t>();
  if (quantity < kMinQuantity || quantity > kMaxQuantity) {
    return error_response(ctx, http::status::unprocessable_entity,
                          "quantity: must be an integer 1..10");
  }
  const std::string& product_id = id->get_ref<const std::string&>();
  if (!is_valid_product_id(product_id)) return not_found(ctx, "product", product_id);
  auto product = backends.get_product(product_id);
  if (product.status.error_code() == grpc::NOT_FOUND) return not_found(ctx, "product", product_id);
  if (!product.ok()) return backend_failure(ctx, "could not retrieve product", product);
  auto added = backends.add_item(ctx.session.id, product_id, static_cast<int32_t>(quantity));
  if (!added.ok()) return backend_failure(ctx, "failed to add to cart", added);
  return cart_response(backends, ctx);
}

Response api_empty_cart(Backends& backends, RequestContext& ctx) {
  auto emptied = backends.empty_cart(ctx.session.id);
  if (!emptied.ok()) return backend_failure(ctx, "failed to empty cart", emptied);
  return json_response(
      ctx, http::status::ok,
      {{"currency", ctx.session.currency}, {"items", json::array()}, {"total_items", 0}});
}

Response api_checkout(Backends& backends, RequestContext& ctx) {
  auto fields = checkout_fields_from_json(ctx.request.body());
  if (!fields.ok()) {
    record_checkout("invalid");
    return error_response(ctx, http::status::bad_request, fields.error().message());
  }
  PlacedCheckout placed = place_checkout(backends, ctx, fields.value());
  if (placed.failure) return std::move(*placed.failure);
  return json_response(ctx, http::status::ok,
                       {{"order", order_result_json(placed.order, placed.total_paid)}});
}

Response api_list_orders(Backends& backends, RequestContext& ctx) {
  auto orders = backends.list_orders(ctx.session.id);
  if (!orders.ok()) return backend_failure(ctx, "could not list orders", orders);
  json list = json::array();
  for (const auto& order : orders.value) list.push_back(order_json(order));
  return json_response(ctx, http::status::ok, {{"orders", std::move(list)}});
}

Response api_get_order(Backends& backends, RequestContext& ctx) {
  const std::string& id = ctx.params.at(0);
  if (!is_valid_order_id(id)) return not_found(ctx, "order", id);
  auto order = backends.get_order(id, ctx.session.id);
  if (order.status.error_code() == grpc::NOT_FOUND) return not_found(ctx, "order", id);
  if (!order.ok()) return backend_failure(ctx, "could not get order", order);
  return json_response(ctx, http::status::ok, {{"order", order_json(order.value)}});
}

Response api_cancel_order(Backends& backends, RequestContext& ctx) {
  const std::string& id = ctx.params.at(0);
  if (!is_valid_order_id(id)) return not_found(ctx, "order", id);
  auto order = backends.cancel_order(id, ctx.session.id);
  switch (order.status.error_code()) {
    case grpc::OK:
      return json_response(ctx, http::status::ok, {{"order", order_json(order.value)}});
    case grpc::NOT_FOUND:
      return not_found(ctx, "order", id);
    case grpc::FAILED_PRECONDITION:
      return error_response(
          ctx, http::status::conflict,
          "order '" + id + "' cannot be cancelled: " + order.status.error_message());
    default:
      return backend_failure(ctx, "could not cancel order", order);
  }
}

}  // namespace shop
