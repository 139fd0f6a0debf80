// stampede-sample-results: writes the synthetic results document of reports/testing/sample_run.h
// to stdout, for the browser and schema tests. Usage: stampede-sample-results [--failing]
// [--no-resilience] [--bottleneck] [--latency-scale X]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "reports/testing/sample_run.h"

int main(int argc, char** argv) {
  stampede::testing::SampleOptions options;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--failing") == 0) {
      options.failing = true;
    } else if (std::strcmp(argv[i], "--no-resilience") == 0) {
      options.resilience = false;
    } else if (std::strcmp(argv[i], "--bottleneck") == 0) {
      options.bottleneck = true;
    } else if (std::strcmp(argv[i], "--latency-scale") == 0 && i + 1 < argc) {
      options.latency_scale = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: %s [--failing] [--no-resilience] [--bottleneck] [--latency-scale X]\n",
                   argv[0]);
      return 64;
    }
  }
  std::string text = stampede::testing::sample_results_doc(options).dump(1);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  return 0;
}
