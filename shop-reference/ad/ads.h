// AdService domain logic: Online Boutique's ads, keyed by product category.
//
// An AdCatalog is immutable once built; all const methods are thread-safe (random choices use
// the caller's engine or a per-thread one).
#pragma once

#include <cstddef>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "demo.pb.h"

namespace shop {

// Online Boutique serves two random ads when the context matches no category.
inline constexpr size_t kMaxAdsToServe = 2;

class AdCatalog {
 public:
  // Online Boutique's seven ads over the categories clothing, accessories, footwear, hair,
  // decor and kitchen (two kitchen ads).
  AdCatalog();

  // The ads of each key's category, in key order; a key naming no category adds nothing, a
  // repeated key adds its ads again (as Online Boutique). Keys match categories exactly.
  template <typename Keys>
  std::vector<hipstershop::Ad> ads_for_categories(const Keys& context_keys) const {
    std::vector<hipstershop::Ad> out;
    for (const auto& key : context_keys) append_category(key, &out);
    return out;
  }

  // GetAds: ads_for_categories(context_keys), or random_ads(kMaxAdsToServe, rng) when that is
  // empty. Never fails; never returns an empty list.
  template <typename Keys>
  std::vector<hipstershop::Ad> ads_for(const Keys& context_keys, std::mt19937_64& rng) const {
    auto out = ads_for_categories(context_keys);
    if (out.empty()) out = random_ads(kMaxAdsToServe, rng);
    return out;
  }
  // As above with this thread's own engine (seeded from std::random_device).
  template <typename Keys>
  std::vector<hipstershop::Ad> ads_for(const Keys& context_keys) const {
    return ads_for(context_keys, thread_engine());
  }

  // `count` ads drawn uniformly with replacement from all ads (as Online Boutique does).
  std::vector<hipstershop::Ad> random_ads(size_t count, std::mt19937_64& rng) const;

  // Every ad, in category order then insertion order.
  const std::vector<hipstershop::Ad>& all() const { return all_; }

 private:
  void append_category(std::string_view category, std::vector<hipstershop::Ad>* out) const;
  static std::mt19937_64& thread_engine();

  std::map<std::string, std::vector<hipstershop::Ad>, std::less<>> by_category_;
  std::vector<hipstershop::Ad> all_;
};

}  // namespace shop
