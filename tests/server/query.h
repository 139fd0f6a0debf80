#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stampede::testserver {

// One decoded `name=value` pair of a query string.
struct QueryParam {
  std::string name;
  std::string value;
};
using QueryParams = std::vector<QueryParam>;

// A request target split at the first '?'. Views into the target; the target must outlive it.
struct SplitTarget {
  std::string_view path;
  std::string_view query;  // without the '?'; empty when there is none
};

// Splits "/path?query" into its path and raw query.
SplitTarget split_target(std::string_view target);

// Parses "a=1&b=x%20y" into pairs in order, percent-decoding names and values ('+' is a space).
// Empty segments are skipped; a segment without '=' has an empty value. Never fails.
QueryParams parse_query(std::string_view query);

// Returns the value of the last parameter called `name`, or nullptr when absent.
const std::string* find_param(const QueryParams& params, std::string_view name);

// Decodes %XX escapes (and '+' as space when plus_as_space); malformed escapes are kept verbatim.
std::string percent_decode(std::string_view text, bool plus_as_space);

// Encodes everything except RFC 3986 unreserved characters and '/' as %XX.
std::string percent_encode(std::string_view text);

}  // namespace stampede::testserver
