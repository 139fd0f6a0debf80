#include "shop-reference/ad/ads.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "google/protobuf/repeated_field.h"

namespace shop {
namespace {

std::vector<std::string> urls(const std::vector<hipstershop::Ad>& ads) {
  std::vector<std::string> out;
  for (const auto& ad : ads) out.push_back(ad.redirect_url());
  return out;
}

TEST(AdsTest, AllSevenOnlineBoutiqueAds) {
  AdCatalog catalog;
  ASSERT_EQ(catalog.all().size(), 7u);
  std::set<std::string> texts;
  for (const auto& ad : catalog.all()) texts.insert(ad.text());
  EXPECT_TRUE(texts.count("Tank top for sale. 20% off."));
  EXPECT_TRUE(texts.count("Watch for sale. Buy one, get second kit for free"));
  EXPECT_TRUE(texts.count("Loafers for sale. Buy one, get second one for free"));
  EXPECT_TRUE(texts.count("Hairdryer for sale. 50% off."));
  EXPECT_TRUE(texts.count("Candle holder for sale. 30% off."));
  EXPECT_TRUE(texts.count("Bamboo glass jar for sale. 10% off."));
  EXPECT_TRUE(texts.count("Mug for sale. Buy two, get third one for free"));
}

TEST(AdsTest, AdsByCategory) {
  AdCatalog catalog;
  std::mt19937_64 rng(1);
  EXPECT_EQ(urls(catalog.ads_for(std::vector<std::string>{"clothing"}, rng)),
            std::vector<std::string>{"/product/66VCHSJNUP"});
  EXPECT_EQ(urls(catalog.ads_for(std::vector<std::string>{"kitchen"}, rng)),
            (std::vector<std::string>{"/product/9SIQT8TOJO", "/product/6E92ZMYYFZ"}));
  EXPECT_EQ(urls(catalog.ads_for(std::vector<std::string>{"hair", "nope", "decor"}, rng)),
            (std::vector<std::string>{"/product/2ZYFJ3GM2N", "/product/0PUK6V6EV0"}));
  EXPECT_EQ(urls(catalog.ads_for(std::vector<std::string>{"footwear", "accessories"}, rng)),
            (std::vector<std::string>{"/product/L9ECAV7KIM", "/product/1YMWWN1N4O"}));
  // A repeated key repeats its ads, as Online Boutique.
  EXPECT_EQ(catalog.ads_for_categories(std::vector<std::string>{"hair", "hair"}).size(), 2u);
}

TEST(AdsTest, AcceptsRepeatedPtrFieldKeys) {
  hipstershop::AdRequest request;
  request.add_context_keys("decor");
  AdCatalog catalog;
  EXPECT_EQ(urls(catalog.ads_for(request.context_keys())),
            std::vector<std::string>{"/product/0PUK6V6EV0"});
}

TEST(AdsTest, NoMatchGivesTwoRandomAdsDeterministicWithSeed) {
  AdCatalog catalog;
  std::mt19937_64 a(42);
  std::mt19937_64 b(42);
  auto first = catalog.ads_for(std::vector<std::string>{"Clothing", "unknown"}, a);
  auto second = catalog.ads_for(std::vector<std::string>{}, b);
  ASSERT_EQ(first.size(), kMaxAdsToServe);
  EXPECT_EQ(urls(first), urls(second));
  const auto all = urls(catalog.all());
  for (const auto& url : urls(first)) {
    EXPECT_NE(std::find(all.begin(), all.end(), url), all.end()) << url;
  }
}

TEST(AdsTest, RandomAdsCoverAllAds) {
  AdCatalog catalog;
  std::mt19937_64 rng(7);
  std::set<std::string> seen;
  for (const auto& url : urls(catalog.random_ads(500, rng))) seen.insert(url);
  EXPECT_EQ(seen.size(), catalog.all().size());
  EXPECT_TRUE(catalog.random_ads(0, rng).empty());
}

TEST(AdsTest, ConcurrentCallsWithThreadEngines) {
  const AdCatalog catalog;
  std::vector<std::thread> threads;
  std::vector<size_t> counts(4, 0);
  for (size_t t = 0; t < counts.size(); ++t) {
    threads.emplace_back([&catalog, &counts, t] {
      for (int i = 0; i < 200; ++i) counts[t] += catalog.ads_for(std::vector<std::string>{}).size();
    });
  }
  for (auto& th : threads) th.join();
  for (size_t c : counts) EXPECT_EQ(c, 200 * kMaxAdsToServe);
}

}  // namespace
}  // namespace shop
