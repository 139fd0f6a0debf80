// junit.xml: a run as JUnit XML for CI test tabs. Suite "thresholds": one test case per
// threshold expression; suite "validations": one per `expect` verdict, failures carrying their
// evidence; suite "run": the run's outcome, with the generator self-check in system-out. The
// shape follows the Jenkins JUnit format (reports/junit.xsd). Pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace stampede {

// `doc` must have passed check_results_doc().
std::string render_junit_xml(const nlohmann::json& doc);

}  // namespace stampede
