// stampede_cpu_burner THREADS SECONDS: spins THREADS worker threads (0: none, the process only
// sleeps) until SECONDS have passed, then exits 0. The main thread only waits, so any CPU time
// measured comes from the worker threads. Test support for CPU sampling and CPU limits; the
// bound on SECONDS (at most 120) keeps a forgotten child from running on.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s THREADS SECONDS\n", argv[0]);
    return 2;
  }
  const int threads = std::atoi(argv[1]);
  const double seconds = std::atof(argv[2]);
  if (threads < 0 || threads > 64 || !(seconds > 0 && seconds <= 120)) {
    std::fprintf(stderr, "%s: THREADS must be 0..64 and SECONDS in (0, 120]\n", argv[0]);
    return 2;
  }
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::microseconds(static_cast<long long>(seconds * 1e6));
  std::atomic<unsigned long long> sink{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&] {
      unsigned long long x = 0;
      while (std::chrono::steady_clock::now() < deadline) {
        for (int k = 0; k < 10000; ++k) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      }
      sink += x;
    });
  }
  if (threads == 0) std::this_thread::sleep_until(deadline);
  for (auto& w : workers) w.join();
  return sink.load() == 42 ? 1 : 0;  // keeps the loop from being optimised away
}
