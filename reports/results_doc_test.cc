#include "reports/results_doc.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "reports/testing/sample_run.h"

namespace stampede {
namespace {

namespace fs = std::filesystem;

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    std::string pattern = (fs::temp_directory_path() / "stampede-results-XXXXXX").string();
    int fd = mkstemp(pattern.data());
    if (fd >= 0) close(fd);
    path_ = pattern;
    std::ofstream(path_) << content;
  }
  ~TempFile() { fs::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(ResultsDoc, TheWritersOutputPassesTheCheck) {
  for (bool resilience : {true, false}) {
    testing::SampleOptions o;
    o.resilience = resilience;
    nlohmann::json doc = testing::sample_results_doc(o);
    EXPECT_TRUE(check_results_doc(doc).ok()) << check_results_doc(doc).error().message();
    EXPECT_EQ(doc["schema"], "stampede-results");
    EXPECT_EQ(doc["version"], 1);
    EXPECT_EQ(doc["requests"].size(), 2u);
    EXPECT_EQ(doc["fine_timeline"]["buckets"].size(), 200u);
    EXPECT_EQ(doc["fine_timeline"]["buckets"][0].size(), 2u + kFineLatencyBoundsMs.size());
    EXPECT_EQ(doc["chaos"]["spans"].size(), resilience ? 2u : 0u);
  }
}

TEST(ResultsDoc, LoadNamesTheFileAndTheProblem) {
  nlohmann::json good = testing::sample_results_doc({});
  TempFile ok(good.dump());
  EXPECT_TRUE(load_results(ok.path()).ok());

  auto missing = load_results("/nonexistent/results.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(),
            "/nonexistent/results.json: cannot read: No such file or directory");

  TempFile corrupt(good.dump().substr(0, 200));
  auto bad = load_results(corrupt.path());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find(corrupt.path() + ": not valid JSON (byte "),
            std::string::npos)
      << bad.error().message();

  nlohmann::json old = good;
  old["version"] = 0;
  TempFile older(old.dump());
  auto v0 = load_results(older.path());
  ASSERT_FALSE(v0.ok());
  EXPECT_EQ(v0.error().message(), older.path() +
                                      ": schema version 0 is not supported (this stampede reads "
                                      "version 1)");

  TempFile summary(R"({"metrics": {}, "root_group": {}})");
  auto k6 = load_results(summary.path());
  ASSERT_FALSE(k6.ok());
  EXPECT_NE(k6.error().message().find("not a results document"), std::string::npos);
}

TEST(ResultsDoc, CheckNamesTheKeyPath) {
  nlohmann::json doc = testing::sample_results_doc({});
  doc["requests"][1]["p99"] = "slow";
  EXPECT_EQ(check_results_doc(doc).error().message(), "requests[1].p99: expected a number");
  doc = testing::sample_results_doc({});
  doc["run"].erase("duration_s");
  EXPECT_EQ(check_results_doc(doc).error().message(), "run.duration_s: missing");
  doc = testing::sample_results_doc({});
  doc["validations"][0]["evidence"] = 3;
  EXPECT_EQ(check_results_doc(doc).error().message(), "validations[0].evidence: expected an array");
  doc = testing::sample_results_doc({});
  doc["run"]["execution_segment"] = "1/3:2/3";
  doc["run"].erase("execution_segment_sequence");
  EXPECT_EQ(check_results_doc(doc).error().message(), "run.execution_segment_sequence: missing");
  doc["run"]["execution_segment_sequence"] = 3;
  EXPECT_EQ(check_results_doc(doc).error().message(),
            "run.execution_segment_sequence: expected a string");
  EXPECT_EQ(check_results_doc(nlohmann::json::array()).error().message(),
            "not a results document: expected a JSON object");
}

}  // namespace
}  // namespace stampede
