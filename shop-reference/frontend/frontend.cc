#include "shop-reference/frontend/frontend.h"

#include "shop-reference/common/shop_metrics.h"
#include "shop-reference/frontend/api_routes.h"
#include "shop-reference/frontend/html_routes.h"

namespace shop {

namespace http = boost::beast::http;

namespace {

// As Online Boutique's: crawlers stay out.
Response robots_txt(RequestContext& ctx) {
  return text_response(ctx, http::status::ok, "User-agent: *\nDisallow: /\n");
}

// Liveness: calls nothing (the router holds it under the hang knob).
Response healthz(RequestContext& ctx) {
  return text_response(ctx, http::status::ok, "ok");
}

Response metrics(RequestContext& ctx) {
  return stampede::http::make_response(ctx.request, http::status::ok,
                                       "text/plain; version=0.0.4; charset=utf-8",
                                       registry().render());
}

}  // namespace

Frontend::Frontend(const FrontendConfig& config, ServerRuntime& runtime)
    : runtime_(runtime),
      config_(config),
      backends_(config_),
      readiness_(runtime_, backends_.required(), config_.ready_deadline, config_.ready_cache),
      router_(runtime_) {
  add_routes();
}

stampede::Result<std::unique_ptr<stampede::http::Server>> Frontend::listen(const std::string& bind,
                                                                           uint16_t port) {
  stampede::http::ServerOptions options;
  options.bind = bind;
  options.port = port;
  // Handlers block on gRPC calls, so they run on a pool, not on the io thread.
  options.handler_threads = config_.handler_threads;
  return stampede::http::Server::start(
      options, [this](const stampede::http::Request& request, const stampede::http::Peer&) {
        return handle(request);
      });
}

Response Frontend::readyz(RequestContext& ctx) {
  auto answer = readiness_.check();
  return text_response(ctx, answer.ready ? http::status::ok : http::status::service_unavailable,
                       answer.detail + "\n");
}

void Frontend::add_routes() {
  using V = http::verb;
  Backends& b = backends_;
  auto with = [&b](Response (*fn)(Backends&, RequestContext&)) {
    return [&b, fn](RequestContext& ctx) { return fn(b, ctx); };
  };

  // Online Boutique's pages.
  router_.add({"/", RouteKind::kPage, {{V::get, with(home_page)}}});
  router_.add({"/product/{id}", RouteKind::kPage, {{V::get, with(product_page)}}});
  router_.add(
      {"/cart", RouteKind::kPage, {{V::get, with(cart_page)}, {V::post, with(add_to_cart)}}});
  router_.add({"/cart/empty", RouteKind::kPage, {{V::post, with(empty_cart)}}});
  router_.add({"/cart/checkout", RouteKind::kPage, {{V::post, with(place_order_page)}}});
  router_.add({"/setCurrency", RouteKind::kPage, {{V::post, set_currency}}});
  // kPlain: logging out must not hand out a fresh session cookie.
  router_.add({"/logout", RouteKind::kPlain, {{V::get, logout}}});
  router_.add({"/robots.txt", RouteKind::kPlain, {{V::get, robots_txt}}});

  // Probes and metrics.
  router_.add({"/_healthz", RouteKind::kProbe, {{V::get, healthz}}});
  router_.add({"/readyz", RouteKind::kProbe, {{V::get, [this](RequestContext& ctx) {
                                                 return readyz(ctx);
                                               }}}});
  router_.add({"/metrics", RouteKind::kMetrics, {{V::get, metrics}}});

  // The JSON API.
  router_.add({"/api/products", RouteKind::kApi, {{V::get, with(api_list_products)}}});
  router_.add({"/api/products/{id}", RouteKind::kApi, {{V::get, with(api_get_product)}}});
  router_.add({"/api/cart",
               RouteKind::kApi,
               {{V::get, with(api_get_cart)},
                {V::post, with(api_add_to_cart)},
                {V::delete_, with(api_empty_cart)}}});
  router_.add({"/api/checkout", RouteKind::kApi, {{V::post, with(api_checkout)}}});
  router_.add({"/api/orders", RouteKind::kApi, {{V::get, with(api_list_orders)}}});
  router_.add({"/api/orders/{id}", RouteKind::kApi, {{V::get, with(api_get_order)}}});
  router_.add({"/api/orders/{id}/cancel", RouteKind::kApi, {{V::post, with(api_cancel_order)}}});
}

}  // namespace shop
