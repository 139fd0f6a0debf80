// The renderers on synthetic runs: what each output says, including the sections with no data.
// The browser test (tests/reports/) checks the HTML report as a page; this checks its content.
#include <gtest/gtest.h>

#include "reports/html_report.h"
#include "reports/junit_xml.h"
#include "reports/results_doc.h"
#include "reports/summary_md.h"
#include "reports/testing/sample_run.h"

namespace stampede {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(JunitXml, ThresholdsValidationsAndTheRunAreTestCases) {
  testing::SampleOptions o;
  o.failing = true;
  std::string xml = render_junit_xml(testing::sample_results_doc(o));
  EXPECT_TRUE(
      has(xml, "<testsuites name=\"stampede scenarios/sample.lua\" tests=\"5\" failures=\"2\""))
      << xml;
  EXPECT_TRUE(has(xml, "<testsuite name=\"thresholds\" tests=\"2\" failures=\"1\""));
  EXPECT_TRUE(has(
      xml, "<testcase name=\"http_req_failed: rate&lt;0.001\" classname=\"stampede.thresholds\""));
  EXPECT_TRUE(has(xml, "observed: 0.007"));
  EXPECT_TRUE(has(xml, "<testsuite name=\"validations\" tests=\"2\" failures=\"1\""));
  EXPECT_TRUE(has(xml, "classname=\"stampede.validations.recovery\""));
  EXPECT_TRUE(has(xml, "time to recover: 2.9 s (at 8 s)")) << xml;
  EXPECT_TRUE(has(xml, "<testcase name=\"run completed\" classname=\"stampede.run\" time=\"0\"/>"));
  EXPECT_TRUE(has(xml, "timestamp=\"2026-05-28T"));  // no zone, no fraction: xs:dateTime
}

TEST(JunitXml, NoValidationsIsAnEmptySuiteThatSaysSo) {
  testing::SampleOptions o;
  o.resilience = false;
  std::string xml = render_junit_xml(testing::sample_results_doc(o));
  EXPECT_TRUE(has(xml, "<testsuite name=\"validations\" tests=\"0\" failures=\"0\""));
  EXPECT_TRUE(has(xml, "no validations: the script has no `expect` entries"));
}

TEST(SummaryMd, VerdictTablesAndEmptySections) {
  testing::SampleOptions o;
  o.failing = true;
  o.bottleneck = true;
  std::string md = render_summary_md(testing::sample_results_doc(o));
  EXPECT_TRUE(has(md, "## ❌ stampede: failed (exit 99)")) << md;
  EXPECT_TRUE(has(md, "- threshold failed: http_req_failed rate<0.001"));
  EXPECT_TRUE(has(md, "- validation failed: recovery after pod-kill#1"));
  EXPECT_TRUE(has(md, "**The generator was the bottleneck**"));
  EXPECT_TRUE(has(md, "| ❌ | `http_req_failed` | `rate<0.001` | 0.007 |"));
  EXPECT_TRUE(has(md, "| during pod-kill#1 | 5.1–8 s | 2900 | 40 | 98.620% | 90.0% |")) << md;
  EXPECT_TRUE(has(md, "| `home` | 12000 | 0.00% |"));

  testing::SampleOptions plain;
  plain.resilience = false;
  std::string ok = render_summary_md(testing::sample_results_doc(plain));
  EXPECT_TRUE(has(ok, "## ✅ stampede: passed (exit 0)"));
  EXPECT_TRUE(has(ok, "_No validations (the script has no `expect` entries)._"));
  EXPECT_TRUE(has(ok, "_No phases (no chaos actions in this run)._"));
  EXPECT_FALSE(has(ok, "bottleneck"));
  EXPECT_FALSE(has(ok, "Execution segment"));
}

TEST(SummaryMd, MergedRunsTable) {
  nlohmann::json doc = testing::sample_results_doc({});
  EXPECT_FALSE(has(render_summary_md(doc), "### Merged runs"));
  doc["merge"] = {{"inputs",
                   {{{"dir", "part0"},
                     {"segment", "0:1/3"},
                     {"outcome", "completed"},
                     {"requests", 400},
                     {"errors", 2},
                     {"iterations", 100},
                     {"seconds", 5}},
                    {{"dir", "part1"},
                     {"segment", "1/3:2/3"},
                     {"outcome", "killed"},
                     {"requests", 150},
                     {"errors", 0},
                     {"iterations", 40},
                     {"seconds", 2}}}},
                  {"coverage",
                   {{"sequence", "0,1/3,2/3,1"},
                    {"covered", "2/3"},
                    {"complete", false},
                    {"missing", {"2/3:1"}}}},
                  {"warnings", {"the inputs cover 2/3 of the test"}}};
  std::string md = render_summary_md(doc);
  EXPECT_TRUE(has(md,
                  "2 run(s) of sequence `0,1/3,2/3,1`, covering `2/3` of the test (⚠️ missing "
                  "`2/3:1`)."))
      << md;
  EXPECT_TRUE(has(md, "| `part0` | `0:1/3` | completed | 400 | 2 | 100 | 5 |")) << md;
  EXPECT_TRUE(has(md, "| `part1` | `1/3:2/3` | killed | 150 | 0 | 40 | 2 |")) << md;
  EXPECT_TRUE(has(md, "> ⚠️ the inputs cover 2/3 of the test"));
  EXPECT_TRUE(check_results_doc(doc).ok());
  doc["merge"]["inputs"][1].erase("iterations");
  EXPECT_EQ(check_results_doc(doc).error().message(), "merge.inputs[1].iterations: missing");
}

TEST(SummaryMd, NamesTheExecutionSegmentOfAPart) {
  nlohmann::json doc = testing::sample_results_doc({});
  doc["run"]["execution_segment"] = "1/3:2/3";
  doc["run"]["execution_segment_sequence"] = "0,1/3,2/3,1";
  std::string md = render_summary_md(doc);
  EXPECT_TRUE(has(md, "Execution segment `1/3:2/3` of `0,1/3,2/3,1`: this run's share")) << md;
  doc["run"]["execution_segment"] = "0:1";
  doc["run"]["execution_segment_sequence"] = "0,1";
  EXPECT_FALSE(has(render_summary_md(doc), "Execution segment"));
}

TEST(HtmlReport, SelfContainedWithTheDataEmbedded) {
  nlohmann::json doc = testing::sample_results_doc({});
  doc["run"]["script"] = "evil</script><script>alert(1)</script>.lua";
  std::string html = render_html_report(doc);
  EXPECT_TRUE(has(html, "<!DOCTYPE html>"));
  EXPECT_FALSE(has(html, "{{")) << "a template marker was left";
  EXPECT_TRUE(has(html, "uPlot"));  // the chart library is inside
  EXPECT_FALSE(has(html, "src=\"http")) << "no external script";
  EXPECT_FALSE(has(html, "href=\"http")) << "no external stylesheet";
  // The script name cannot break out of the data element.
  EXPECT_TRUE(has(html, "evil\\u003c/script>\\u003cscript>alert(1)\\u003c/script>.lua"));
  size_t data = html.find("id=\"stampede-results\">");
  ASSERT_NE(data, std::string::npos);
  size_t end = html.find("</script>", data);
  std::string json_text = html.substr(data + 22, end - data - 22);
  nlohmann::json back = nlohmann::json::parse(json_text, nullptr, false);
  ASSERT_FALSE(back.is_discarded());
  EXPECT_EQ(back["run"]["script"], doc["run"]["script"]);
  EXPECT_EQ(back["chaos"]["spans"].size(), 2u);
}

}  // namespace
}  // namespace stampede
