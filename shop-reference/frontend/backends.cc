#include "shop-reference/frontend/backends.h"

namespace shop {

using grpc::ClientContext;

Backends::Client::Client(std::string name, const BackendConfig& config)
    : dependency(std::move(name), config.address, config.policy), policy(config.policy) {}

Backends::Backends(const FrontendConfig& config)
    : catalog_("productcatalog", config.catalog),
      currency_("currency", config.currency),
      cart_("cart", config.cart),
      shipping_("shipping", config.shipping),
      checkout_("checkout", config.checkout),
      orders_("orders", config.orders),
      catalog_stub_(hipstershop::ProductCatalogService::NewStub(catalog_.dependency.channel())),
      currency_stub_(hipstershop::CurrencyService::NewStub(currency_.dependency.channel())),
      cart_stub_(hipstershop::CartService::NewStub(cart_.dependency.channel())),
      shipping_stub_(hipstershop::ShippingService::NewStub(shipping_.dependency.channel())),
      checkout_stub_(hipstershop::CheckoutService::NewStub(checkout_.dependency.channel())),
      orders_stub_(hipstershop::OrderService::NewStub(orders_.dependency.channel())) {
  if (!config.ad.address.empty()) {
    ad_ = std::make_unique<Client>("ad", config.ad);
    ad_stub_ = hipstershop::AdService::NewStub(ad_->dependency.channel());
  }
  if (!config.recommendation.address.empty()) {
    recommendation_ = std::make_unique<Client>("recommendation", config.recommendation);
    recommendation_stub_ =
        hipstershop::RecommendationService::NewStub(recommendation_->dependency.channel());
  }
}

std::vector<Dependency*> Backends::required() {
  return {&catalog_.dependency,  &currency_.dependency, &cart_.dependency,
          &shipping_.dependency, &checkout_.dependency, &orders_.dependency};
}

template <class T, class Fn>
Outcome<T> Backends::run(Client& client, const char* method, bool idempotent, Fn&& fn) {
  Outcome<T> out;
  out.status = client.dependency.call(
      method, idempotent, [&](ClientContext& context) { return fn(context, out.value); });
  if (out.ok()) return out;
  out.dependency = client.dependency.name();
  if (out.status.error_code() == grpc::UNAVAILABLE &&
      client.dependency.breaker_state() == BreakerState::kOpen) {
    // Whole seconds, rounded up, so a client that honours Retry-After finds the breaker ready
    // for a trial call.
    auto ms = client.policy.breaker.open_for.count();
    out.retry_after_s = static_cast<int>(std::max<int64_t>(1, (ms + 999) / 1000));
  }
  return out;
}

Outcome<std::vector<hipstershop::Product>> Backends::list_products() {
  return run<std::vector<hipstershop::Product>>(
      catalog_, "ListProducts", true, [&](ClientContext& c, auto& value) {
        hipstershop::ListProductsResponse response;
        grpc::Status s = catalog_stub_->ListProducts(&c, hipstershop::Empty(), &response);
        value.assign(response.products().begin(), response.products().end());
        return s;
      });
}

Outcome<hipstershop::Product> Backends::get_product(const std::string& id) {
  hipstershop::GetProductRequest request;
  request.set_id(id);
  return run<hipstershop::Product>(catalog_, "GetProduct", true, [&](ClientContext& c, auto& v) {
    return catalog_stub_->GetProduct(&c, request, &v);
  });
}

Outcome<std::vector<std::string>> Backends::supported_currencies() {
  return run<std::vector<std::string>>(
      currency_, "GetSupportedCurrencies", true, [&](ClientContext& c, auto& value) {
        hipstershop::GetSupportedCurrenciesResponse response;
        grpc::Status s =
            currency_stub_->GetSupportedCurrencies(&c, hipstershop::Empty(), &response);
        value.assign(response.currency_codes().begin(), response.currency_codes().end());
        return s;
      });
}

Outcome<hipstershop::Money> Backends::convert(const hipstershop::Money& from,
                                              const std::string& to) {
  hipstershop::CurrencyConversionRequest request;
  *request.mutable_from() = from;
  request.set_to_code(to);
  return run<hipstershop::Money>(currency_, "Convert", true, [&](ClientContext& c, auto& v) {
    return currency_stub_->Convert(&c, request, &v);
  });
}

Outcome<hipstershop::Cart> Backends::get_cart(const std::string& user_id) {
  hipstershop::GetCartRequest request;
  request.set_user_id(user_id);
  return run<hipstershop::Cart>(cart_, "GetCart", true, [&](ClientContext& c, auto& v) {
    return cart_stub_->GetCart(&c, request, &v);
  });
}

Outcome<bool> Backends::add_item(const std::string& user_id, const std::string& product_id,
                                 int32_t quantity) {
  hipstershop::AddItemRequest request;
  request.set_user_id(user_id);
  request.mutable_item()->set_product_id(product_id);
  request.mutable_item()->set_quantity(quantity);
  return run<bool>(cart_, "AddItem", false, [&](ClientContext& c, bool& done) {
    hipstershop::Empty empty;
    grpc::Status s = cart_stub_->AddItem(&c, request, &empty);
    done = s.ok();
    return s;
  });
}

Outcome<bool> Backends::empty_cart(const std::string& user_id) {
  hipstershop::EmptyCartRequest request;
  request.set_user_id(user_id);
  return run<bool>(cart_, "EmptyCart", true, [&](ClientContext& c, bool& done) {
    hipstershop::Empty empty;
    grpc::Status s = cart_stub_->EmptyCart(&c, request, &empty);
    done = s.ok();
    return s;
  });
}

Outcome<hipstershop::Money> Backends::shipping_quote(
    const std::vector<hipstershop::CartItem>& items) {
  // No address, as Online Boutique's frontend: the quote depends on the items only.
  hipstershop::GetQuoteRequest request;
  for (const auto& item : items) *request.add_items() = item;
  return run<hipstershop::Money>(shipping_, "GetQuote", true, [&](ClientContext& c, auto& v) {
    hipstershop::GetQuoteResponse response;
    grpc::Status s = shipping_stub_->GetQuote(&c, request, &response);
    v = response.cost_usd();
    return s;
  });
}

Outcome<hipstershop::OrderResult> Backends::place_order(
    const hipstershop::PlaceOrderRequest& request) {
  return run<hipstershop::OrderResult>(
      checkout_, "PlaceOrder", false, [&](ClientContext& c, auto& v) {
        hipstershop::PlaceOrderResponse response;
        grpc::Status s = checkout_stub_->PlaceOrder(&c, request, &response);
        v = response.order();
        return s;
      });
}

Outcome<std::vector<std::string>> Backends::recommendations(
    const std::string& user_id, const std::vector<std::string>& product_ids) {
  if (!recommendation_) {
    return failed<std::vector<std::string>>(
        grpc::Status(grpc::FAILED_PRECONDITION, "recommendation service not configured"),
        "recommendation");
  }
  hipstershop::ListRecommendationsRequest request;
  request.set_user_id(user_id);
  for (const auto& id : product_ids) request.add_product_ids(id);
  return run<std::vector<std::string>>(
      *recommendation_, "ListRecommendations", true, [&](ClientContext& c, auto& value) {
        hipstershop::ListRecommendationsResponse response;
        grpc::Status s = recommendation_stub_->ListRecommendations(&c, request, &response);
        value.assign(response.product_ids().begin(), response.product_ids().end());
        return s;
      });
}

Outcome<std::vector<hipstershop::Ad>> Backends::ads(const std::vector<std::string>& context_keys) {
  if (!ad_) {
    return failed<std::vector<hipstershop::Ad>>(
        grpc::Status(grpc::FAILED_PRECONDITION, "ad service not configured"), "ad");
  }
  hipstershop::AdRequest request;
  for (const auto& key : context_keys) request.add_context_keys(key);
  return run<std::vector<hipstershop::Ad>>(*ad_, "GetAds", true, [&](ClientContext& c, auto& v) {
    hipstershop::AdResponse response;
    grpc::Status s = ad_stub_->GetAds(&c, request, &response);
    v.assign(response.ads().begin(), response.ads().end());
    return s;
  });
}

Outcome<std::vector<hipstershop::Order>> Backends::list_orders(const std::string& user_id) {
  hipstershop::ListOrdersRequest request;
  request.set_user_id(user_id);
  return run<std::vector<hipstershop::Order>>(
      orders_, "ListOrders", true, [&](ClientContext& c, auto& value) {
        hipstershop::ListOrdersResponse response;
        grpc::Status s = orders_stub_->ListOrders(&c, request, &response);
        value.assign(response.orders().begin(), response.orders().end());
        return s;
      });
}

Outcome<hipstershop::Order> Backends::get_order(const std::string& order_id,
                                                const std::string& user_id) {
  hipstershop::GetOrderRequest request;
  request.set_order_id(order_id);
  request.set_user_id(user_id);
  return run<hipstershop::Order>(orders_, "GetOrder", true, [&](ClientContext& c, auto& v) {
    return orders_stub_->GetOrder(&c, request, &v);
  });
}

Outcome<hipstershop::Order> Backends::cancel_order(const std::string& order_id,
                                                   const std::string& user_id) {
  hipstershop::CancelOrderRequest request;
  request.set_order_id(order_id);
  request.set_user_id(user_id);
  request.set_reason("cancelled by the customer");
  return run<hipstershop::Order>(orders_, "CancelOrder", false, [&](ClientContext& c, auto& v) {
    return orders_stub_->CancelOrder(&c, request, &v);
  });
}

}  // namespace shop
