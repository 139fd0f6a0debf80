#include "shop-reference/ad/ads.h"

#include <utility>

namespace shop {
namespace {

hipstershop::Ad make_ad(const char* product_id, const char* text) {
  hipstershop::Ad ad;
  ad.set_redirect_url(std::string("/product/") + product_id);
  ad.set_text(text);
  return ad;
}

}  // namespace

AdCatalog::AdCatalog() {
  // Texts and targets as Online Boutique's AdService (AdService.java, createAdsMap).
  by_category_["clothing"] = {make_ad("66VCHSJNUP", "Tank top for sale. 20% off.")};
  by_category_["accessories"] = {
      make_ad("1YMWWN1N4O", "Watch for sale. Buy one, get second kit for free")};
  by_category_["footwear"] = {
      make_ad("L9ECAV7KIM", "Loafers for sale. Buy one, get second one for free")};
  by_category_["hair"] = {make_ad("2ZYFJ3GM2N", "Hairdryer for sale. 50% off.")};
  by_category_["decor"] = {make_ad("0PUK6V6EV0", "Candle holder for sale. 30% off.")};
  by_category_["kitchen"] = {
      make_ad("9SIQT8TOJO", "Bamboo glass jar for sale. 10% off."),
      make_ad("6E92ZMYYFZ", "Mug for sale. Buy two, get third one for free")};
  for (const auto& [category, ads] : by_category_) all_.insert(all_.end(), ads.begin(), ads.end());
}

void AdCatalog::append_category(std::string_view category,
                                std::vector<hipstershop::Ad>* out) const {
  auto it = by_category_.find(category);
  if (it != by_category_.end()) out->insert(out->end(), it->second.begin(), it->second.end());
}

std::vector<hipstershop::Ad> AdCatalog::random_ads(size_t count, std::mt19937_64& rng) const {
  std::vector<hipstershop::Ad> out;
  if (all_.empty()) return out;
  out.reserve(count);
  std::uniform_int_distribution<size_t> pick(0, all_.size() - 1);
  for (size_t i = 0; i < count; ++i) out.push_back(all_[pick(rng)]);
  return out;
}

std::mt19937_64& AdCatalog::thread_engine() {
  // Per thread, so concurrent GetAds calls share no mutable state.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

}  // namespace shop
