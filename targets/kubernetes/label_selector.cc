#include "targets/kubernetes/label_selector.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace stampede::kube {
namespace {

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

bool valid_name(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!std::isalnum(static_cast<unsigned char>(s.front())) ||
      !std::isalnum(static_cast<unsigned char>(s.back()))) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), is_name_char);
}

bool valid_dns_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t dot = s.find('.', pos);
    if (dot == std::string_view::npos) dot = s.size();
    std::string_view label = s.substr(pos, dot - pos);
    if (label.empty() || label.size() > 63) return false;
    for (char c : label) {
      if (!(std::islower(static_cast<unsigned char>(c)) ||
            std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
        return false;
      }
    }
    if (label.front() == '-' || label.back() == '-') return false;
    pos = dot + 1;
  }
  return true;
}

bool is_integer(std::string_view s) {
  if (s.empty()) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size() || s.size() > 19) return false;
  return std::all_of(s.begin() + static_cast<long>(i), s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// Characters that end an identifier in the selector language.
bool is_special(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '(' || c == ')' ||
         c == '=' || c == '!' || c == '<' || c == '>';
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<std::vector<LabelSelector::Requirement>> run() {
    std::vector<LabelSelector::Requirement> out;
    skip_space();
    if (at_end()) return out;
    while (true) {
      auto r = requirement();
      if (!r.ok()) return r.error();
      out.push_back(std::move(r).value());
      skip_space();
      if (at_end()) return out;
      if (peek() != ',') return fail("expected ',' or the end after " + out.back().key);
      ++pos_;
      skip_space();
      if (at_end()) return fail("expected a requirement after ','");
    }
  }

 private:
  using Op = LabelSelector::Op;

  Result<LabelSelector::Requirement> requirement() {
    LabelSelector::Requirement r;
    if (peek() == '!') {
      ++pos_;
      skip_space();
      r.key = identifier();
      if (r.key.empty()) return fail("expected a label key after '!'");
      if (!valid_label_key(r.key)) return bad_key(r.key);
      r.op = Op::kDoesNotExist;
      return r;
    }
    r.key = identifier();
    if (r.key.empty()) return fail("expected a label key");
    if (!valid_label_key(r.key)) return bad_key(r.key);
    skip_space();
    if (at_end() || peek() == ',') {
      r.op = Op::kExists;
      return r;
    }
    if (starts("==")) {
      pos_ += 2;
      r.op = Op::kEquals;
    } else if (starts("!=")) {
      pos_ += 2;
      r.op = Op::kNotEquals;
    } else if (starts("=")) {
      pos_ += 1;
      r.op = Op::kEquals;
    } else if (starts(">")) {
      pos_ += 1;
      r.op = Op::kGreaterThan;
    } else if (starts("<")) {
      pos_ += 1;
      r.op = Op::kLessThan;
    } else {
      size_t at = pos_;
      std::string word = identifier();
      if (word == "in" || word == "notin") {
        r.op = word == "in" ? Op::kIn : Op::kNotIn;
        return set_values(std::move(r));
      }
      pos_ = at;
      return fail("expected =, ==, !=, in, notin, > or < after " + r.key);
    }
    skip_space();
    std::string value = identifier();
    if (!valid_label_value(value)) return bad_value(r.key, value);
    if ((r.op == Op::kGreaterThan || r.op == Op::kLessThan) && !is_integer(value)) {
      return fail("the value of " + r.key + " must be an integer for > and <, got '" + value + "'");
    }
    r.values.push_back(value);
    return r;
  }

  Result<LabelSelector::Requirement> set_values(LabelSelector::Requirement r) {
    skip_space();
    if (peek() != '(') return fail("expected '(' after " + r.key + " " + op_word(r.op));
    ++pos_;
    while (true) {
      skip_space();
      std::string value = identifier();
      if (!valid_label_value(value)) return bad_value(r.key, value);
      skip_space();
      if (value.empty() && peek() == ')' && r.values.empty()) {
        return fail("the values of " + r.key + " " + op_word(r.op) + " must not be empty");
      }
      r.values.push_back(value);
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ')') {
        ++pos_;
        break;
      }
      return fail("expected ',' or ')' in the values of " + r.key);
    }
    std::sort(r.values.begin(), r.values.end());
    r.values.erase(std::unique(r.values.begin(), r.values.end()), r.values.end());
    return r;
  }

  static std::string op_word(Op op) { return op == Op::kIn ? "in" : "notin"; }

  std::string identifier() {
    size_t start = pos_;
    while (!at_end() && !is_special(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  bool starts(std::string_view s) const { return text_.substr(pos_, s.size()) == s; }

  Error fail(const std::string& why) const {
    return Error("label selector \"" + std::string(text_) + "\": " + why + " (at character " +
                 std::to_string(pos_ + 1) + ")");
  }
  Error bad_key(const std::string& key) const {
    return fail("'" + key +
                "' is not a valid label key (a name of at most 63 characters [A-Za-z0-9-_.] "
                "beginning and ending with a letter or digit, optionally prefixed by a DNS "
                "subdomain and '/')");
  }
  Error bad_value(const std::string& key, const std::string& value) const {
    return fail("'" + value + "' is not a valid label value for " + key +
                " (at most 63 characters [A-Za-z0-9-_.], beginning and ending with a letter or "
                "digit)");
  }

  std::string_view text_;
  size_t pos_ = 0;
};

bool requirement_less(const LabelSelector::Requirement& a, const LabelSelector::Requirement& b) {
  if (a.key != b.key) return a.key < b.key;
  if (a.op != b.op) return a.op < b.op;
  return a.values < b.values;
}

std::string join(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ",") + v;
  return out;
}

}  // namespace

bool valid_label_key(std::string_view key) {
  size_t slash = key.find('/');
  if (slash == std::string_view::npos) return valid_name(key);
  return valid_dns_subdomain(key.substr(0, slash)) && valid_name(key.substr(slash + 1));
}

bool valid_label_value(std::string_view value) {
  return value.empty() || valid_name(value);
}

bool valid_object_name(std::string_view name) {
  return valid_dns_subdomain(name);
}

Result<LabelSelector> LabelSelector::parse(std::string_view text) {
  auto parsed = Parser(text).run();
  if (!parsed.ok()) return parsed.error();
  LabelSelector s;
  s.requirements_ = std::move(parsed).value();
  std::sort(s.requirements_.begin(), s.requirements_.end(), requirement_less);
  return s;
}

Result<LabelSelector> LabelSelector::from_object(const nlohmann::json& object) {
  LabelSelector s;
  if (object.is_null()) return s;
  if (!object.is_object()) return Error("selector: expected an object, got " + object.dump());
  for (const auto& [key, value] : object.items()) {
    if (key != "matchLabels" && key != "matchExpressions") {
      return Error("selector." + key + ": unknown field");
    }
  }
  if (object.contains("matchLabels") && !object["matchLabels"].is_null()) {
    const auto& labels = object["matchLabels"];
    if (!labels.is_object()) return Error("matchLabels: expected an object of strings");
    for (const auto& [key, value] : labels.items()) {
      if (!value.is_string()) return Error("matchLabels." + key + ": expected a string");
      if (!valid_label_key(key)) return Error("matchLabels: '" + key + "' is not a label key");
      if (!valid_label_value(value.get<std::string>())) {
        return Error("matchLabels." + key + ": '" + value.get<std::string>() +
                     "' is not a label value");
      }
      s.requirements_.push_back({key, Op::kEquals, {value.get<std::string>()}});
    }
  }
  if (object.contains("matchExpressions") && !object["matchExpressions"].is_null()) {
    const auto& list = object["matchExpressions"];
    if (!list.is_array()) return Error("matchExpressions: expected a list");
    for (size_t i = 0; i < list.size(); ++i) {
      std::string at = "matchExpressions[" + std::to_string(i) + "]";
      const auto& e = list[i];
      if (!e.is_object() || !e.contains("key") || !e["key"].is_string() ||
          !e.contains("operator") || !e["operator"].is_string()) {
        return Error(at + ": expected {key, operator, values}");
      }
      Requirement r;
      r.key = e["key"].get<std::string>();
      if (!valid_label_key(r.key)) return Error(at + ".key: '" + r.key + "' is not a label key");
      std::string op = e["operator"].get<std::string>();
      if (op == "In") {
        r.op = Op::kIn;
      } else if (op == "NotIn") {
        r.op = Op::kNotIn;
      } else if (op == "Exists") {
        r.op = Op::kExists;
      } else if (op == "DoesNotExist") {
        r.op = Op::kDoesNotExist;
      } else {
        return Error(at + ".operator: unknown operator '" + op +
                     "' (In, NotIn, Exists, DoesNotExist)");
      }
      if (e.contains("values") && !e["values"].is_null()) {
        if (!e["values"].is_array()) return Error(at + ".values: expected a list of strings");
        for (const auto& v : e["values"]) {
          if (!v.is_string()) return Error(at + ".values: expected a list of strings");
          r.values.push_back(v.get<std::string>());
        }
      }
      bool set_op = r.op == Op::kIn || r.op == Op::kNotIn;
      if (set_op && r.values.empty()) return Error(at + ".values: must not be empty for " + op);
      if (!set_op && !r.values.empty()) return Error(at + ".values: must be empty for " + op);
      std::sort(r.values.begin(), r.values.end());
      r.values.erase(std::unique(r.values.begin(), r.values.end()), r.values.end());
      s.requirements_.push_back(std::move(r));
    }
  }
  std::sort(s.requirements_.begin(), s.requirements_.end(), requirement_less);
  return s;
}

bool LabelSelector::matches(const std::map<std::string, std::string>& labels) const {
  for (const Requirement& r : requirements_) {
    auto it = labels.find(r.key);
    bool has = it != labels.end();
    auto in_values = [&] {
      return has && std::binary_search(r.values.begin(), r.values.end(), it->second);
    };
    switch (r.op) {
      case Op::kEquals:
      case Op::kIn:
        if (!in_values()) return false;
        break;
      case Op::kNotEquals:
      case Op::kNotIn:
        if (in_values()) return false;
        break;
      case Op::kExists:
        if (!has) return false;
        break;
      case Op::kDoesNotExist:
        if (has) return false;
        break;
      case Op::kGreaterThan:
      case Op::kLessThan: {
        if (!has || !is_integer(it->second)) return false;
        long long have = std::strtoll(it->second.c_str(), nullptr, 10);
        long long bound = std::strtoll(r.values.front().c_str(), nullptr, 10);
        if (r.op == Op::kGreaterThan ? !(have > bound) : !(have < bound)) return false;
        break;
      }
    }
  }
  return true;
}

std::string LabelSelector::to_string() const {
  std::string out;
  for (const Requirement& r : requirements_) {
    if (!out.empty()) out += ",";
    switch (r.op) {
      case Op::kEquals:
        out += r.key + "=" + r.values.front();
        break;
      case Op::kNotEquals:
        out += r.key + "!=" + r.values.front();
        break;
      case Op::kIn:
        out += r.key + " in (" + join(r.values) + ")";
        break;
      case Op::kNotIn:
        out += r.key + " notin (" + join(r.values) + ")";
        break;
      case Op::kExists:
        out += r.key;
        break;
      case Op::kDoesNotExist:
        out += "!" + r.key;
        break;
      case Op::kGreaterThan:
        out += r.key + ">" + r.values.front();
        break;
      case Op::kLessThan:
        out += r.key + "<" + r.values.front();
        break;
    }
  }
  return out;
}

std::map<std::string, std::string> LabelSelector::equalities() const {
  std::map<std::string, std::string> out;
  for (const Requirement& r : requirements_) {
    if (r.op == Op::kEquals || (r.op == Op::kIn && r.values.size() == 1)) {
      out[r.key] = r.values.front();
    }
  }
  return out;
}

Result<FieldSelector> FieldSelector::parse(std::string_view text) {
  FieldSelector s;
  size_t pos = 0;
  auto trim = [](std::string_view v) {
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
    return v;
  };
  if (trim(text).empty()) return s;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view term = trim(text.substr(pos, comma - pos));
    Term t;
    size_t op = term.find("!=");
    size_t op_len = 2;
    if (op != std::string_view::npos) {
      t.negated = true;
    } else if ((op = term.find("==")) != std::string_view::npos) {
      op_len = 2;
    } else if ((op = term.find('=')) != std::string_view::npos) {
      op_len = 1;
    } else {
      return Error("field selector \"" + std::string(text) + "\": '" + std::string(term) +
                   "' is not field=value, field==value or field!=value");
    }
    t.field = std::string(trim(term.substr(0, op)));
    t.value = std::string(trim(term.substr(op + op_len)));
    if (t.field.empty()) {
      return Error("field selector \"" + std::string(text) + "\": a term has no field name");
    }
    s.terms_.push_back(std::move(t));
    pos = comma + 1;
  }
  return s;
}

}  // namespace stampede::kube
