// The resilience verdicts: each `expect` entry judged from the 100 ms timeline and what the
// chaos controller saw, with the evidence it rests on (docs/chaos.md, "Validations"); and the
// availability of each phase of the run (baseline, during each action, after it). Pure
// functions of their input; run on the main thread after the run.
#pragma once

#include <vector>

#include "engine/run/resilience_result.h"
#include "engine/validate/validation_input.h"

namespace stampede {

// One verdict per expectation, in the plan's order.
std::vector<ValidationResult> run_validations(const ValidationInput& in);

// Baseline, then "during X" and "recovery after X" for every action that was applied, with
// error-free buckets as the by-time SLO.
std::vector<PhaseAvailability> phase_availability(const ValidationInput& in);

// One function per kind (each in its own file).
ValidationResult check_availability(const Expectation& e, const ValidationInput& in);
ValidationResult check_recovery(const Expectation& e, const ValidationInput& in);
ValidationResult check_autoscaling(const Expectation& e, const ValidationInput& in);
ValidationResult check_self_healing(const Expectation& e, const ValidationInput& in);
ValidationResult check_zero_downtime(const Expectation& e, const ValidationInput& in);
ValidationResult check_circuit_breaker(const Expectation& e, const ValidationInput& in);

}  // namespace stampede
