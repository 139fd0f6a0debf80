// LabelSelector: Kubernetes' label selector language, as the API server parses a
// `labelSelector=` query and as `matchLabels`/`matchExpressions` objects spell it:
//   app=cart, tier!=db, env in (prod, staging), env notin (dev), release, !canary, rank>3
// An empty selector matches everything. Plain value type: parse once, match from any thread.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace stampede::kube {

class LabelSelector {
 public:
  enum class Op {
    kEquals,
    kNotEquals,
    kIn,
    kNotIn,
    kExists,
    kDoesNotExist,
    kGreaterThan,
    kLessThan
  };
  struct Requirement {
    std::string key;
    Op op = Op::kEquals;
    std::vector<std::string> values;  // sorted, unique; one for = and !=, an integer for > and <
  };

  // The selector that matches everything.
  LabelSelector() = default;
  // Parses the string form. Errors say what is wrong and where, e.g.
  // `label selector "env in (a": expected ')' after the values of env`.
  static Result<LabelSelector> parse(std::string_view text);
  // From a metav1.LabelSelector object ({"matchLabels": {...}, "matchExpressions": [...]}).
  // Errors name the field: "matchExpressions[0].operator: unknown operator 'Has'".
  static Result<LabelSelector> from_object(const nlohmann::json& object);

  bool matches(const std::map<std::string, std::string>& labels) const;
  bool empty() const { return requirements_.empty(); }
  const std::vector<Requirement>& requirements() const { return requirements_; }
  // The canonical string form ("app=cart,env in (prod,staging)"), as the API server prints it:
  // requirements sorted by key. Parsing it gives the same selector.
  std::string to_string() const;
  // Equality terms only (key=value): the labels every match must carry.
  std::map<std::string, std::string> equalities() const;

 private:
  std::vector<Requirement> requirements_;  // sorted by key, then operator
};

// A field selector (`metadata.name=x,status.phase!=Running`): terms of =, == or !=.
class FieldSelector {
 public:
  struct Term {
    std::string field;
    bool negated = false;  // !=
    std::string value;
  };
  FieldSelector() = default;
  static Result<FieldSelector> parse(std::string_view text);
  bool empty() const { return terms_.empty(); }
  const std::vector<Term>& terms() const { return terms_; }
  // `lookup` gives a field's value for the object; a field it does not know is "" (so
  // `metadata.name=` selects nothing and `x!=y` everything).
  template <typename Lookup>
  bool matches(Lookup lookup) const {
    for (const Term& t : terms_) {
      if ((lookup(t.field) == t.value) == t.negated) return false;
    }
    return true;
  }

 private:
  std::vector<Term> terms_;
};

// True for a valid label key ([prefix/]name: a DNS subdomain prefix, a name of at most 63
// characters of [A-Za-z0-9-_.] beginning and ending with an alphanumeric).
bool valid_label_key(std::string_view key);
// True for a valid label value (empty, or as a name).
bool valid_label_value(std::string_view value);
// True for a valid object name (a DNS-1123 subdomain: lowercase letters, digits, '-' and '.',
// at most 253 characters, beginning and ending with a letter or digit), e.g. a Deployment's.
bool valid_object_name(std::string_view name);

}  // namespace stampede::kube
