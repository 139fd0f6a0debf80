// Request-target helpers every handler needs: splitting the target, percent-decoding, and
// parsing query strings and application/x-www-form-urlencoded bodies.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/http/server.h"
#include "common/result.h"

namespace stampede::http {

// Query or form parameters in order of appearance; a name may repeat. A plain value type.
class Params {
 public:
  using Entry = std::pair<std::string, std::string>;

  void add(std::string name, std::string value) {
    entries_.emplace_back(std::move(name), std::move(value));
  }
  // The first value of `name`, or nullopt when absent.
  std::optional<std::string> get(std::string_view name) const;
  // Every value of `name`, in order.
  std::vector<std::string> get_all(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }
  const std::vector<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<Entry> entries_;
};

// A request target split at the first '?'; a '#fragment' is dropped. Views into the input.
struct Target {
  std::string_view path;   // "/product/X" ("" for an empty target)
  std::string_view query;  // without the '?', "" when there is none
};
Target split_target(std::string_view target);
// Splits request.target(); the views point into `request`.
inline Target split_target(const Request& request) {
  return split_target(to_std(request.target()));
}

// Decodes %XX escapes (either hex case), and '+' as a space when `plus_as_space`.
// Error on a '%' not followed by two hex digits: "malformed percent escape '%zz' at offset 3".
Result<std::string> percent_decode(std::string_view text, bool plus_as_space = true);

// Parses "a=1&b=x+y&c" (no leading '?'): pairs split on '&', name and value percent-decoded with
// '+' as space, a pair without '=' has an empty value, empty pairs are skipped.
// Error names the pair: "query parameter 'a=%zz': malformed percent escape '%zz' at offset 0".
Result<Params> parse_query(std::string_view query);
// Parses an application/x-www-form-urlencoded body; same rules as parse_query.
Result<Params> parse_form(std::string_view body);

}  // namespace stampede::http
