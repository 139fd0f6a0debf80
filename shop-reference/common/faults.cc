#include "shop-reference/common/faults.h"

#include <time.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "shop-reference/common/log.h"

namespace shop {
namespace {

constexpr int64_t kMaxMs = 600'000;
constexpr std::chrono::milliseconds kStep{5};

std::mt19937_64& rng() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

stampede::Error field_error(std::string_view field, std::string_view what) {
  return stampede::Error("faults." + std::string(field) + ": " + std::string(what));
}

stampede::Result<int64_t> ms_field(const nlohmann::json& v, std::string_view field) {
  if (!v.is_number_integer() && !v.is_number_unsigned()) {
    return field_error(field, "expected a whole number of milliseconds");
  }
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(kMaxMs)) {
    return field_error(field, "expected 0..600000 ms");
  }
  int64_t n = v.get<int64_t>();
  if (n < 0 || n > kMaxMs) return field_error(field, "expected 0..600000 ms");
  return n;
}

stampede::Result<bool> bool_field(const nlohmann::json& v, std::string_view field) {
  if (!v.is_boolean()) return field_error(field, "expected true or false");
  return v.get<bool>();
}

}  // namespace

bool FaultSpec::any() const {
  return *this != FaultSpec{};
}

bool FaultSpec::applies_to(std::string_view method) const {
  if (methods.empty()) return true;
  for (const auto& m : methods) {
    if (m == method) return true;
  }
  return false;
}

stampede::Result<FaultSpec> fault_spec_from_env(const Env& env) {
  FaultSpec s;
  auto latency = env.integer("FAULT_LATENCY_MS", 0, 0, kMaxMs);
  if (!latency.ok()) return latency.error();
  auto jitter = env.integer("FAULT_JITTER_MS", 0, 0, kMaxMs);
  if (!jitter.ok()) return jitter.error();
  auto rate = env.number("FAULT_ERROR_RATE", 0, 0, 1);
  if (!rate.ok()) return rate.error();
  auto hang = env.boolean("FAULT_HANG", false);
  if (!hang.ok()) return hang.error();
  auto unhealthy = env.boolean("FAULT_UNHEALTHY", false);
  if (!unhealthy.ok()) return unhealthy.error();
  auto burn = env.integer("FAULT_CPU_BURN_MS", 0, 0, kMaxMs);
  if (!burn.ok()) return burn.error();
  auto crash = env.boolean("FAULT_CRASH", false);
  if (!crash.ok()) return crash.error();
  std::string methods = env.string("FAULT_METHODS", "");
  for (size_t start = 0; start < methods.size();) {
    size_t comma = methods.find(',', start);
    if (comma == std::string::npos) comma = methods.size();
    std::string m = methods.substr(start, comma - start);
    if (m.empty()) {
      return stampede::Error(
          "environment FAULT_METHODS: expected comma-separated method names, "
          "got '" +
          methods + "'");
    }
    s.methods.push_back(m);
    start = comma + 1;
  }
  s.latency_ms = latency.value();
  s.jitter_ms = jitter.value();
  s.error_rate = rate.value();
  s.hang = hang.value();
  s.unhealthy = unhealthy.value();
  s.cpu_burn_ms = burn.value();
  s.crash = crash.value();
  return s;
}

stampede::Result<FaultSpec> apply_fault_patch(const FaultSpec& base, std::string_view json) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return stampede::Error("faults: malformed JSON body");
  if (!doc.is_object()) return stampede::Error("faults: expected a JSON object of knobs");
  FaultSpec s = base;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& v = it.value();
    if (key == "latency_ms" || key == "jitter_ms" || key == "cpu_burn_ms") {
      auto n = ms_field(v, key);
      if (!n.ok()) return n.error();
      (key == "latency_ms"  ? s.latency_ms
       : key == "jitter_ms" ? s.jitter_ms
                            : s.cpu_burn_ms) = n.value();
    } else if (key == "error_rate") {
      if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1) {
        return field_error(key, "expected a number in [0, 1]");
      }
      s.error_rate = v.get<double>();
    } else if (key == "methods") {
      if (!v.is_array()) return field_error(key, "expected a list of method names");
      std::vector<std::string> methods;
      for (const auto& m : v) {
        if (!m.is_string() || m.get<std::string>().empty()) {
          return field_error(key, "expected a list of non-empty method names");
        }
        methods.push_back(m.get<std::string>());
      }
      s.methods = std::move(methods);
    } else if (key == "hang" || key == "unhealthy" || key == "crash") {
      auto b = bool_field(v, key);
      if (!b.ok()) return b.error();
      (key == "hang" ? s.hang : key == "unhealthy" ? s.unhealthy : s.crash) = b.value();
    } else {
      return field_error(key,
                         "unknown knob (known: latency_ms, jitter_ms, error_rate, hang, "
                         "unhealthy, cpu_burn_ms, crash, methods)");
    }
  }
  return s;
}

std::string to_json(const FaultSpec& s) {
  nlohmann::json j = {{"latency_ms", s.latency_ms}, {"jitter_ms", s.jitter_ms},
                      {"error_rate", s.error_rate}, {"hang", s.hang},
                      {"unhealthy", s.unhealthy},   {"cpu_burn_ms", s.cpu_burn_ms},
                      {"crash", s.crash},           {"methods", s.methods}};
  return j.dump();
}

FaultSpec Faults::get() const {
  std::lock_guard<std::mutex> lock(mu_);
  return spec_;
}

void Faults::set(const FaultSpec& spec) {
  std::lock_guard<std::mutex> lock(mu_);
  if (spec == spec_) return;
  spec_ = spec;
  unhealthy_.store(spec.unhealthy, std::memory_order_relaxed);
  hang_.store(spec.hang, std::memory_order_relaxed);
  any_.store(spec.any(), std::memory_order_release);
  log_info("faults set: " + to_json(spec));
}

bool Faults::hang(std::string_view method) const {
  if (!hang_.load(std::memory_order_relaxed)) return false;
  std::lock_guard<std::mutex> lock(mu_);
  return spec_.hang && spec_.applies_to(method);
}

FaultDecision Faults::decide(std::string_view method) const {
  FaultDecision d;
  if (!any_.load(std::memory_order_acquire)) return d;
  FaultSpec s = get();
  if (!s.applies_to(method)) return d;
  d.crash = s.crash;
  d.hang = s.hang;
  int64_t delay = s.latency_ms;
  if (s.jitter_ms > 0) {
    delay += std::uniform_int_distribution<int64_t>(0, s.jitter_ms)(rng());
  }
  d.delay = std::chrono::milliseconds(delay);
  d.burn = std::chrono::milliseconds(s.cpu_burn_ms);
  if (s.error_rate > 0) {
    d.fail = std::uniform_real_distribution<double>(0, 1)(rng()) < s.error_rate;
  }
  return d;
}

void burn_cpu(std::chrono::milliseconds d) {
  auto thread_ns = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
  };
  const int64_t until = thread_ns() + std::chrono::nanoseconds(d).count();
  // The volatile sink keeps the optimizer from deleting the loop.
  volatile uint64_t sink = 0;
  while (thread_ns() < until) {
    for (int i = 0; i < 10000; ++i) sink = sink * 6364136223846793005ULL + 1;
  }
}

void crash_now(std::string_view where) {
  log_error("fault crash: exiting on " + std::string(where));
  ::_exit(70);
}

bool wait_for(std::chrono::milliseconds d, const std::function<bool()>& stop) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (true) {
    if (stop()) return false;
    auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(until - now, kStep));
  }
}

bool wait_while_hung(const Faults& faults, std::string_view method,
                     const std::function<bool()>& stop) {
  while (faults.hang(method)) {
    if (stop()) return false;
    std::this_thread::sleep_for(kStep);
  }
  return true;
}

}  // namespace shop
