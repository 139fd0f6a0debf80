#include "engine/thresholds/metric_selector.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace stampede {
namespace {

using Tags = std::vector<std::pair<std::string, std::string>>;

MetricSelector parse_ok(std::string_view text) {
  Result<MetricSelector> r = parse_metric_selector(text);
  EXPECT_TRUE(r.ok()) << "'" << text << "': " << (r.ok() ? "" : r.error().message());
  return r.ok() ? r.value() : MetricSelector{};
}

std::string parse_error(std::string_view text) {
  Result<MetricSelector> r = parse_metric_selector(text);
  EXPECT_FALSE(r.ok()) << "'" << text << "' unexpectedly parsed";
  return r.ok() ? "" : r.error().message();
}

bool matches(const MetricSelector& s, const std::map<std::string, std::string>& sample) {
  return s.matches([&](std::string_view key) -> std::optional<std::string_view> {
    auto it = sample.find(std::string(key));
    if (it == sample.end()) return std::nullopt;
    return std::string_view(it->second);
  });
}

TEST(ParseMetricSelector, PlainMetric) {
  const MetricSelector s = parse_ok("http_req_duration");
  EXPECT_EQ(s.metric, "http_req_duration");
  EXPECT_TRUE(s.tags.empty());
  EXPECT_EQ(s.canonical(), "http_req_duration");
}

TEST(ParseMetricSelector, OneTag) {
  const MetricSelector s = parse_ok("http_req_duration{name:checkout}");
  EXPECT_EQ(s.metric, "http_req_duration");
  EXPECT_EQ(s.tags, (Tags{{"name", "checkout"}}));
}

TEST(ParseMetricSelector, TagsSortedByKey) {
  const MetricSelector s = parse_ok("http_req_duration{name:checkout,method:GET}");
  EXPECT_EQ(s.tags, (Tags{{"method", "GET"}, {"name", "checkout"}}));
  EXPECT_EQ(s.canonical(), "http_req_duration{method:GET,name:checkout}");
  const MetricSelector t = parse_ok("http_req_duration{status:200,name:a,method:GET,group:::g}");
  EXPECT_EQ(t.tags, (Tags{{"group", "::g"}, {"method", "GET"}, {"name", "a"}, {"status", "200"}}));
}

TEST(ParseMetricSelector, SpacesAndQuotes) {
  EXPECT_EQ(parse_ok("http_req_duration{ name : checkout }").tags, (Tags{{"name", "checkout"}}));
  EXPECT_EQ(parse_ok("http_req_duration{name:\"a b\"}").tags, (Tags{{"name", "a b"}}));
  EXPECT_EQ(parse_ok("http_req_duration{name:'a b'}").tags, (Tags{{"name", "a b"}}));
  EXPECT_EQ(parse_ok("http_req_duration{\"name\":\"x\"}").tags, (Tags{{"name", "x"}}));
  EXPECT_EQ(parse_ok("http_req_duration{ name: \"x\" , method :'GET'}").tags,
            (Tags{{"method", "GET"}, {"name", "x"}}));
  // Inner spaces of an unquoted value are kept; only the ends are trimmed.
  EXPECT_EQ(parse_ok("checks{check:status is 200}").tags, (Tags{{"check", "status is 200"}}));
  // Quotes are stripped like k6's strings.Trim(v, `"'`): every quote at either end.
  EXPECT_EQ(parse_ok("m_1{k:\"'v'\"}").tags, (Tags{{"k", "v"}}));
  // Quotes make an empty value possible (k6 allows it too).
  EXPECT_EQ(parse_ok("m_1{k:\"\"}").tags, (Tags{{"k", ""}}));
  // Whitespace around the whole selector and before '{'.
  EXPECT_EQ(parse_ok("  http_req_duration {name:x}  ").metric, "http_req_duration");
}

TEST(ParseMetricSelector, ValuesWithColonsAndBraces) {
  EXPECT_EQ(parse_ok("http_reqs{url:http://x:8080/a}").tags, (Tags{{"url", "http://x:8080/a"}}));
  EXPECT_EQ(parse_ok("m_1{k:a}b}").tags, (Tags{{"k", "a}b"}}));
  // Like k6: the first '{' and the last '}' delimit the filter, whatever is between them.
  EXPECT_EQ(parse_ok("m_1{a:b}{c:d}").tags, (Tags{{"a", "b}{c:d"}}));
}

TEST(ParseMetricSelector, DuplicateKeys) {
  EXPECT_EQ(parse_ok("m_1{k:a,k:a}").tags, (Tags{{"k", "a"}}));
  EXPECT_EQ(parse_error("m_1{k:a,k:b}"),
            "invalid metric selector 'm_1{k:a,k:b}': tag 'k' is given twice with different values");
}

TEST(ParseMetricSelector, ErrorMessages) {
  EXPECT_EQ(parse_error("http_req_duration{name}"),
            "invalid metric selector 'http_req_duration{name}': tag 'name' must be written "
            "key:value");
  EXPECT_EQ(parse_error("http_req_duration{name:x"),
            "invalid metric selector 'http_req_duration{name:x': unmatched '{' or '}'");
  EXPECT_EQ(parse_error("http_req_duration{name:x}abc"),
            "invalid metric selector 'http_req_duration{name:x}abc': text after the closing '}'");
  EXPECT_EQ(parse_error("http_req_duration{}"),
            "invalid metric selector 'http_req_duration{}': empty tag filter");
  EXPECT_EQ(parse_error("9lives"),
            "invalid metric selector '9lives': metric name '9lives' must be letters, digits and "
            "'_', not starting with a digit, at most 128 characters");
}

TEST(ParseMetricSelector, RejectsMalformed) {
  for (const char* text : {
           "",               // empty
           "{name:x}",       // no metric
           "http-req",       // '-' not allowed in names
           "http.req",       //
           "http req",       //
           "1abc",           //
           "m_1{",           //
           "m_1}",           //
           "m_1}{",          //
           "m_1{name:}",     // empty value
           "m_1{name:   }",  //
           "m_1{:x}",        // empty key
           "m_1{\"\":x}",    //
           "m_1{a:b,}",      // trailing comma
           "m_1{,a:b}",      //
           "m_1{a:b,,c:d}",  //
           "m_1{a}",         //
           "m_1{ }",         //
       }) {
    const std::string message = parse_error(text);
    EXPECT_EQ(message.rfind("invalid metric selector '" + std::string(text) + "': ", 0), 0u)
        << message;
  }
}

TEST(MetricName, K6Rule) {
  EXPECT_TRUE(is_valid_metric_name("http_req_duration"));
  EXPECT_TRUE(is_valid_metric_name("_private"));
  EXPECT_TRUE(is_valid_metric_name("a"));
  EXPECT_TRUE(is_valid_metric_name("A1_b2"));
  EXPECT_TRUE(is_valid_metric_name(std::string(128, 'x')));
  EXPECT_FALSE(is_valid_metric_name(std::string(129, 'x')));
  EXPECT_FALSE(is_valid_metric_name(""));
  EXPECT_FALSE(is_valid_metric_name("1a"));
  EXPECT_FALSE(is_valid_metric_name("a-b"));
  EXPECT_FALSE(is_valid_metric_name("a b"));
  EXPECT_FALSE(is_valid_metric_name("caf\xC3\xA9"));
}

TEST(MetricSelector, Matches) {
  const MetricSelector all = parse_ok("http_req_duration");
  const MetricSelector checkout = parse_ok("http_req_duration{name:checkout}");
  const MetricSelector checkout_get = parse_ok("http_req_duration{name:checkout,method:GET}");
  const MetricSelector empty_value = parse_ok("http_req_duration{name:\"\"}");

  const std::map<std::string, std::string> get_checkout = {
      {"method", "GET"}, {"name", "checkout"}, {"status", "200"}};
  const std::map<std::string, std::string> post_checkout = {{"method", "POST"},
                                                            {"name", "checkout"}};
  const std::map<std::string, std::string> home = {{"method", "GET"}, {"name", "home"}};
  const std::map<std::string, std::string> untagged;
  const std::map<std::string, std::string> empty_name = {{"name", ""}};

  EXPECT_TRUE(matches(all, get_checkout));
  EXPECT_TRUE(matches(all, untagged));
  EXPECT_TRUE(matches(checkout, get_checkout));
  EXPECT_TRUE(matches(checkout, post_checkout));
  EXPECT_FALSE(matches(checkout, home));
  EXPECT_FALSE(matches(checkout, untagged));
  EXPECT_TRUE(matches(checkout_get, get_checkout));
  EXPECT_FALSE(matches(checkout_get, post_checkout));
  EXPECT_FALSE(matches(checkout_get, home));
  EXPECT_TRUE(matches(empty_value, empty_name));
  EXPECT_FALSE(matches(empty_value, untagged));  // an absent tag is not an empty one
  // Values compare exactly (case-sensitive).
  EXPECT_FALSE(matches(parse_ok("m_1{method:get}"), get_checkout));
}

TEST(MetricSelector, CanonicalIsStable) {
  const MetricSelector a = parse_ok("http_req_duration{ method : 'GET', name:\"checkout\" }");
  const MetricSelector b = parse_ok("http_req_duration{name:checkout,method:GET}");
  EXPECT_EQ(a.canonical(), b.canonical());
  const MetricSelector again = parse_ok(a.canonical());
  EXPECT_EQ(again.metric, a.metric);
  EXPECT_EQ(again.tags, a.tags);
}

}  // namespace
}  // namespace stampede
