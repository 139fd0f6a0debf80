#include "targets/kubernetes/label_selector.h"

#include <gtest/gtest.h>

namespace stampede::kube {
namespace {

using Labels = std::map<std::string, std::string>;

LabelSelector parsed(const std::string& text) {
  auto s = LabelSelector::parse(text);
  EXPECT_TRUE(s.ok()) << text << ": " << (s.ok() ? "" : s.error().message());
  return s.ok() ? s.value() : LabelSelector();
}

TEST(LabelSelector, EmptyMatchesEverything) {
  EXPECT_TRUE(parsed("").matches({}));
  EXPECT_TRUE(parsed("   ").matches({{"app", "x"}}));
  EXPECT_TRUE(parsed("").empty());
}

TEST(LabelSelector, EqualityTerms) {
  LabelSelector s = parsed("app=cart, tier==web");
  EXPECT_TRUE(s.matches({{"app", "cart"}, {"tier", "web"}, {"x", "y"}}));
  EXPECT_FALSE(s.matches({{"app", "cart"}}));
  EXPECT_FALSE(s.matches({{"app", "carts"}, {"tier", "web"}}));
  LabelSelector ne = parsed("app!=cart");
  EXPECT_TRUE(ne.matches({}));  // absent counts as "not equal", as in Kubernetes
  EXPECT_TRUE(ne.matches({{"app", "ad"}}));
  EXPECT_FALSE(ne.matches({{"app", "cart"}}));
  EXPECT_EQ(s.equalities(), (Labels{{"app", "cart"}, {"tier", "web"}}));
}

TEST(LabelSelector, SetBasedTerms) {
  LabelSelector in = parsed("env in (prod, staging),!canary,release");
  EXPECT_TRUE(in.matches({{"env", "prod"}, {"release", "1"}}));
  EXPECT_TRUE(in.matches({{"env", "staging"}, {"release", ""}}));
  EXPECT_FALSE(in.matches({{"env", "dev"}, {"release", "1"}}));
  EXPECT_FALSE(in.matches({{"env", "prod"}, {"release", "1"}, {"canary", "true"}}));
  EXPECT_FALSE(in.matches({{"env", "prod"}}));
  LabelSelector notin = parsed("env notin (dev)");
  EXPECT_TRUE(notin.matches({}));
  EXPECT_FALSE(notin.matches({{"env", "dev"}}));
  LabelSelector gt = parsed("rank>3,rank<10");
  EXPECT_TRUE(gt.matches({{"rank", "4"}}));
  EXPECT_FALSE(gt.matches({{"rank", "3"}}));
  EXPECT_FALSE(gt.matches({{"rank", "x"}}));
  EXPECT_FALSE(gt.matches({}));
}

TEST(LabelSelector, CanonicalStringRoundTrips) {
  LabelSelector s = parsed(" tier != db ,app=cart,env in (staging,prod,prod), !x, y");
  EXPECT_EQ(s.to_string(), "app=cart,env in (prod,staging),tier!=db,!x,y");  // by key
  EXPECT_EQ(parsed(s.to_string()).to_string(), s.to_string());
  EXPECT_EQ(parsed("app.kubernetes.io/name=shop").to_string(), "app.kubernetes.io/name=shop");
  EXPECT_EQ(parsed("a=").to_string(), "a=");  // an empty value is a value
}

TEST(LabelSelector, ErrorsSayWhatAndWhere) {
  for (const char* bad :
       {"app=", "=x", "a in (b", "a in ()", "a,", ",a", "a b", "a in b", "bad key=x", "a=-x", "a>x",
        "a notin (x y)", "a=b=c", "UPPER.example.com/x=1"}) {
    auto s = LabelSelector::parse(bad);
    if (std::string(bad) == "app=") {
      EXPECT_TRUE(s.ok());
      continue;
    }
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.error().message().find("label selector \""), std::string::npos)
        << s.error().message();
    EXPECT_NE(s.error().message().find("at character"), std::string::npos) << s.error().message();
  }
  auto s = LabelSelector::parse("env in (a");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("expected ',' or ')'"), std::string::npos)
      << s.error().message();
}

TEST(LabelSelector, FromObject) {
  auto s = LabelSelector::from_object(nlohmann::json::parse(R"({
    "matchLabels": {"app": "cart"},
    "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "qa"]},
                         {"key": "canary", "operator": "DoesNotExist"}]})"));
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_EQ(s.value().to_string(), "app=cart,!canary,env in (prod,qa)");
  EXPECT_TRUE(s.value().matches({{"app", "cart"}, {"env", "qa"}}));
  EXPECT_FALSE(s.value().matches({{"app", "cart"}, {"env", "qa"}, {"canary", "1"}}));
  EXPECT_EQ(parsed(s.value().to_string()).to_string(), s.value().to_string());
  EXPECT_TRUE(LabelSelector::from_object(nullptr).value().empty());
  auto bad = LabelSelector::from_object(
      nlohmann::json::parse(R"({"matchExpressions": [{"key": "a", "operator": "Has"}]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(),
            "matchExpressions[0].operator: unknown operator 'Has' (In, NotIn, Exists, "
            "DoesNotExist)");
  auto empty_in = LabelSelector::from_object(
      nlohmann::json::parse(R"({"matchExpressions": [{"key": "a", "operator": "In"}]})"));
  ASSERT_FALSE(empty_in.ok());
  EXPECT_NE(empty_in.error().message().find("must not be empty"), std::string::npos);
}

TEST(ObjectName, IsADns1123Subdomain) {
  EXPECT_TRUE(valid_object_name("frontend"));
  EXPECT_TRUE(valid_object_name("shop-reference-frontend"));
  EXPECT_TRUE(valid_object_name("a.b-c"));
  EXPECT_FALSE(valid_object_name("app=cart"));
  EXPECT_FALSE(valid_object_name("Frontend"));
  EXPECT_FALSE(valid_object_name("-x"));
  EXPECT_FALSE(valid_object_name(""));
  EXPECT_FALSE(valid_object_name("app in (a)"));
}

TEST(FieldSelector, ParsesAndMatches) {
  auto s = FieldSelector::parse("metadata.name=frontend-1, status.phase!=Failed");
  ASSERT_TRUE(s.ok());
  auto lookup = [](const std::string& phase) {
    return [phase](const std::string& field) {
      if (field == "metadata.name") return std::string("frontend-1");
      if (field == "status.phase") return phase;
      return std::string();
    };
  };
  EXPECT_TRUE(s.value().matches(lookup("Running")));
  EXPECT_FALSE(s.value().matches(lookup("Failed")));
  EXPECT_TRUE(FieldSelector::parse("").value().empty());
  EXPECT_TRUE(FieldSelector::parse("metadata.name==x").ok());
  EXPECT_FALSE(FieldSelector::parse("metadata.name").ok());
  EXPECT_FALSE(FieldSelector::parse("=x").ok());
}

}  // namespace
}  // namespace stampede::kube
