#include "shop-reference/frontend/page_data.h"

#include <algorithm>
#include <random>

#include "shop-reference/common/log.h"
#include "shop-reference/common/money.h"
#include "shop-reference/frontend/frontend_metrics.h"
#include "shop-reference/frontend/session.h"

namespace shop {
namespace {

constexpr size_t kMaxRecommendations = 4;  // as Online Boutique's product page

template <class T>
Outcome<T> money_error(const stampede::Error& error) {
  return failed<T>(grpc::Status(grpc::INTERNAL, error.message()), "");
}

void degraded(const std::string& dependency, const grpc::Status& status) {
  record_degraded(dependency);
  log_warn("degraded answer without " + dependency + ": " + status.error_message());
}

}  // namespace

int64_t cart_size(const hipstershop::Cart& cart) {
  int64_t n = 0;
  for (const auto& item : cart.items()) n += std::max(0, item.quantity());
  return n;
}

Outcome<std::vector<std::string>> load_currencies(Backends& backends) {
  auto all = backends.supported_currencies();
  if (!all.ok()) return all;
  std::vector<std::string> offered;
  for (const auto& code : all.value) {
    if (is_whitelisted_currency(code)) offered.push_back(code);
  }
  all.value = std::move(offered);
  return all;
}

Outcome<std::vector<PricedProduct>> load_products(Backends& backends, const std::string& currency) {
  auto products = backends.list_products();
  if (!products.ok()) return products.fail_as<std::vector<PricedProduct>>();
  Outcome<std::vector<PricedProduct>> out;
  for (auto& product : products.value) {
    auto price = backends.convert(product.price_usd(), currency);
    if (!price.ok()) return price.fail_as<std::vector<PricedProduct>>();
    out.value.push_back({std::move(product), std::move(price.value)});
  }
  return out;
}

Outcome<PricedProduct> load_product(Backends& backends, const std::string& id,
                                    const std::string& currency) {
  auto product = backends.get_product(id);
  if (!product.ok()) return product.fail_as<PricedProduct>();
  auto price = backends.convert(product.value.price_usd(), currency);
  if (!price.ok()) return price.fail_as<PricedProduct>();
  return succeeded(PricedProduct{std::move(product.value), std::move(price.value)});
}

Outcome<CartView> load_cart_view(Backends& backends, const hipstershop::Cart& cart,
                                 const std::string& currency) {
  Outcome<CartView> out;
  CartView& view = out.value;
  view.size = cart_size(cart);
  std::vector<hipstershop::CartItem> items(cart.items().begin(), cart.items().end());
  auto quote = backends.shipping_quote(items);
  if (!quote.ok()) return quote.fail_as<CartView>();
  auto shipping = backends.convert(quote.value, currency);
  if (!shipping.ok()) return shipping.fail_as<CartView>();
  view.shipping = shipping.value;
  view.total = view.shipping;
  for (const auto& item : items) {
    auto product = load_product(backends, item.product_id(), currency);
    if (!product.ok()) return product.fail_as<CartView>();
    auto line_total = multiply(product.value.price, item.quantity());
    if (!line_total.ok()) return money_error<CartView>(line_total.error());
    auto total = sum(view.total, line_total.value());
    if (!total.ok()) return money_error<CartView>(total.error());
    view.total = total.value();
    view.lines.push_back({std::move(product.value.product), item.quantity(),
                          std::move(product.value.price), std::move(line_total.value())});
  }
  return out;
}

Outcome<hipstershop::Money> order_total(const hipstershop::OrderResult& order) {
  Outcome<hipstershop::Money> out;
  out.value = order.shipping_cost();
  for (const auto& item : order.items()) {
    auto cost = multiply(item.cost(), item.item().quantity());
    if (!cost.ok()) return money_error<hipstershop::Money>(cost.error());
    auto total = sum(out.value, cost.value());
    if (!total.ok()) return money_error<hipstershop::Money>(total.error());
    out.value = total.value();
  }
  return out;
}

std::optional<hipstershop::Ad> choose_ad(Backends& backends,
                                         const std::vector<std::string>& context_keys) {
  if (!backends.has_ad()) return std::nullopt;
  auto ads = backends.ads(context_keys);
  if (!ads.ok()) {
    degraded("ad", ads.status);
    return std::nullopt;
  }
  if (ads.value.empty()) return std::nullopt;
  // A random one, as Online Boutique's frontend does.
  thread_local std::mt19937 rng{std::random_device{}()};
  return ads.value[std::uniform_int_distribution<size_t>(0, ads.value.size() - 1)(rng)];
}

std::optional<std::vector<hipstershop::Product>> load_recommendations(
    Backends& backends, const std::string& user_id, const std::vector<std::string>& product_ids) {
  if (!backends.has_recommendation()) return std::nullopt;
  auto ids = backends.recommendations(user_id, product_ids);
  if (!ids.ok()) {
    degraded("recommendation", ids.status);
    return std::nullopt;
  }
  std::vector<hipstershop::Product> out;
  for (const auto& id : ids.value) {
    if (out.size() == kMaxRecommendations) break;
    if (std::find(product_ids.begin(), product_ids.end(), id) != product_ids.end()) continue;
    auto product = backends.get_product(id);
    if (product.status.error_code() == grpc::NOT_FOUND) continue;  // a stale id: skip it
    if (!product.ok()) {
      // A recommendation the catalog cannot show is dropped with the whole section, so the page
      // never shows a half-broken list.
      degraded("recommendation", product.status);
      return std::nullopt;
    }
    out.push_back(std::move(product.value));
  }
  return out;
}

}  // namespace shop
