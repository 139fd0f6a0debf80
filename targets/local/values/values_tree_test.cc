#include "targets/local/values/values_tree.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace stampede::local {
namespace {

YAML::Node yaml(const std::string& text) {
  return YAML::Load(text);
}

std::string dump(const YAML::Node& n) {
  YAML::Emitter out;
  out << YAML::Flow << n;
  return out.c_str();
}

TEST(MergeValues, MapsMergeListsAndScalarsAreReplaced) {
  YAML::Node base = yaml("a: {b: 1, c: [1, 2], d: {e: x}}\nf: keep");
  merge_values(base, yaml("a: {b: 2, c: [3], d: {g: y}}"));
  EXPECT_EQ(dump(base), "a: {b: 2, c: [3], d: {e: x, g: y}}\nf: keep");
}

TEST(MergeValues, NullRemovesAKeyAndTheOverlayIsUntouched) {
  YAML::Node base = yaml("a: {b: 1, c: 2}");
  YAML::Node overlay = yaml("a: {b: null, n: {m: 1}}");
  merge_values(base, overlay);
  EXPECT_EQ(dump(base), "a: {c: 2, n: {m: 1}}");
  base["a"]["n"]["m"] = 5;
  EXPECT_EQ(dump(overlay), "a: {b: ~, n: {m: 1}}");
}

TEST(ApplySet, DottedKeysIndexesListsAndPairs) {
  YAML::Node v = yaml("services: {cart: {replicas: 1, ports: [{name: grpc}]}}");
  ASSERT_TRUE(apply_set(v, "services.cart.replicas=3,services.cart.ports[0].name=g2").ok());
  ASSERT_TRUE(apply_set(v, "services.new.args={a,b}").ok());
  ASSERT_TRUE(apply_set(v, "services.cart.ports[2].name=p").ok());
  ASSERT_TRUE(apply_set(v, "a\\.b.c=1").ok());
  ASSERT_TRUE(apply_set(v, "services.cart.env.X=a\\,b").ok());
  EXPECT_EQ(v["services"]["cart"]["replicas"].Scalar(), "3");
  EXPECT_EQ(v["services"]["cart"]["ports"][0]["name"].Scalar(), "g2");
  EXPECT_TRUE(v["services"]["cart"]["ports"][1].IsNull());
  EXPECT_EQ(v["services"]["cart"]["ports"][2]["name"].Scalar(), "p");
  EXPECT_EQ(dump(v["services"]["new"]["args"]), "[a, b]");
  EXPECT_EQ(v["a.b"]["c"].Scalar(), "1");
  EXPECT_EQ(v["services"]["cart"]["env"]["X"].Scalar(), "a,b");
}

TEST(ApplySet, NullAndReplacingAMap) {
  YAML::Node v = yaml("p: {httpGet: {path: /}}\nq: 1");
  ASSERT_TRUE(apply_set(v, "p=null").ok());
  EXPECT_TRUE(v["p"].IsNull());
  ASSERT_TRUE(apply_set(v, "q.r=2").ok());  // a scalar becomes a map when descended into
  EXPECT_EQ(v["q"]["r"].Scalar(), "2");
}

TEST(ApplySet, BadArgumentsNameTheFlag) {
  YAML::Node v = yaml("a: 1");
  auto s = apply_set(v, "novalue");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "--set novalue: expected key=value");
  EXPECT_EQ(apply_set(v, "a..b=1").error().message(), "--set a..b=1: empty key in 'a..b'");
  EXPECT_EQ(apply_set(v, "a[x]=1").error().message(), "--set a[x]=1: bad list index 'x' in 'a[x]'");
  EXPECT_FALSE(apply_set(v, "=1").ok());
  EXPECT_FALSE(apply_set(v, "a[1=1").ok());
}

TEST(LoadYamlFile, SyntaxErrorsNameFileLineAndColumn) {
  auto dir =
      std::filesystem::temp_directory_path() / ("values_tree_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string bad = (dir / "bad.yaml").string();
  std::ofstream(bad) << "a: 1\nb: [1, 2\nc: 3\n";
  auto r = load_yaml_file(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message().rfind(bad + ":", 0), 0u) << r.error().message();
  std::string list = (dir / "list.yaml").string();
  std::ofstream(list) << "- 1\n";
  EXPECT_EQ(load_yaml_file(list).error().message(), list + ": expected a map of values at the top");
  std::string empty = (dir / "empty.yaml").string();
  std::ofstream(empty) << "";
  ASSERT_TRUE(load_yaml_file(empty).ok());
  EXPECT_TRUE(load_yaml_file(empty).value().IsMap());
  EXPECT_FALSE(load_yaml_file((dir / "missing.yaml").string()).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace stampede::local
