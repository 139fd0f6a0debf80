#include "engine/http/cookie_jar.h"

#include <algorithm>
#include <charconv>

namespace stampede {
namespace {

constexpr int64_t kExpired = INT64_MIN;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Control characters other than tab would let a value smuggle bytes into the Cookie header.
bool has_control(std::string_view s) {
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
  }
  return false;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

// RFC 6265 section 5.1.3.
bool domain_matches(std::string_view host, std::string_view domain, bool host_is_ip) {
  if (host == domain) return true;
  return !host_is_ip && host.size() > domain.size() && host.ends_with(domain) &&
         host[host.size() - domain.size() - 1] == '.';
}

// RFC 6265 section 5.1.4.
bool path_matches(std::string_view request_path, std::string_view cookie_path) {
  if (!request_path.starts_with(cookie_path)) return false;
  return request_path.size() == cookie_path.size() || cookie_path.back() == '/' ||
         request_path[cookie_path.size()] == '/';
}

std::string default_path(std::string_view request_path) {
  size_t last_slash = request_path.rfind('/');
  if (request_path.empty() || request_path[0] != '/' || last_slash == 0) return "/";
  return std::string(request_path.substr(0, last_slash));
}

bool is_date_delimiter(unsigned char c) {
  return c == 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40) ||
         (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

// Reads min..max leading digits (a token like "2021" or "06th"); false for more or fewer.
bool leading_number(std::string_view token, size_t min_digits, size_t max_digits, int* value,
                    size_t* length) {
  size_t n = 0;
  while (n < token.size() && is_digit(token[n])) ++n;
  if (n < min_digits || n > max_digits) return false;
  *value = 0;
  for (size_t i = 0; i < n; ++i) *value = *value * 10 + (token[i] - '0');
  *length = n;
  return true;
}

// hms-time: 1*2DIGIT ":" 1*2DIGIT ":" 1*2DIGIT, then anything but a digit.
bool parse_time(std::string_view token, int* h, int* m, int* s) {
  int fields[3];
  for (int i = 0; i < 3; ++i) {
    size_t len = 0;
    if (!leading_number(token, 1, 2, &fields[i], &len)) return false;
    token.remove_prefix(len);
    if (i < 2) {
      if (token.empty() || token[0] != ':') return false;
      token.remove_prefix(1);
    }
  }
  *h = fields[0];
  *m = fields[1];
  *s = fields[2];
  return true;
}

int parse_month(std::string_view token) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (token.size() < 3) return 0;
  for (int i = 0; i < 12; ++i) {
    if (iequals(token.substr(0, 3), kMonths[i])) return i + 1;
  }
  return 0;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Max-Age per RFC 6265 section 5.2.2; false when the attribute must be ignored.
bool parse_max_age(std::string_view text, int64_t* seconds) {
  if (text.empty() || (!is_digit(text[0]) && text[0] != '-')) return false;
  std::string_view digits = text[0] == '-' ? text.substr(1) : text;
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), is_digit)) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *seconds);
  if (ec == std::errc::result_out_of_range) *seconds = text[0] == '-' ? INT64_MIN : INT64_MAX;
  return true;
}

}  // namespace

bool parse_cookie_date(std::string_view text, int64_t* unix_seconds) {
  int hour = -1, minute = 0, second = 0, day = -1, month = 0, year = -1;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_date_delimiter(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !is_date_delimiter(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view token = text.substr(start, i - start);
    if (token.empty()) break;
    size_t len = 0;
    int value = 0;
    if (hour < 0 && parse_time(token, &hour, &minute, &second)) continue;
    if (day < 0 && leading_number(token, 1, 2, &value, &len)) {
      day = value;
    } else if (month == 0 && parse_month(token) != 0) {
      month = parse_month(token);
    } else if (year < 0 && leading_number(token, 2, 4, &value, &len)) {
      year = value;
    }
  }
  if (year >= 70 && year <= 99) year += 1900;
  if (year >= 0 && year <= 69) year += 2000;
  if (hour < 0 || day < 0 || month == 0 || year < 1601) return false;
  if (hour > 23 || minute > 59 || second > 59 || day < 1 || day > days_in_month(year, month)) {
    return false;
  }
  *unix_seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return true;
}

void CookieJar::store(std::string_view set_cookie_value, const Url& request_url,
                      int64_t now_unix_seconds) {
  std::string_view rest = set_cookie_value;
  size_t semicolon = rest.find(';');
  std::string_view pair = rest.substr(0, semicolon);
  rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
  size_t eq = pair.find('=');
  std::string_view name = trim(pair.substr(0, eq));
  std::string_view value = eq == std::string_view::npos ? "" : trim(pair.substr(eq + 1));
  if (eq == std::string_view::npos || name.empty() || has_control(name) || has_control(value) ||
      name.size() + value.size() > kMaxCookieBytes) {
    ++rejected_;
    return;
  }

  Cookie cookie;
  cookie.name = name;
  cookie.value = value;
  std::string domain_attribute;
  std::string path_attribute;
  bool have_max_age = false, have_expires = false;
  int64_t max_age = 0, expires = 0;
  while (!rest.empty()) {
    semicolon = rest.find(';');
    std::string_view attribute = rest.substr(0, semicolon);
    rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
    eq = attribute.find('=');
    std::string_view key = trim(attribute.substr(0, eq));
    std::string_view arg = eq == std::string_view::npos ? "" : trim(attribute.substr(eq + 1));
    if (iequals(key, "expires")) {
      int64_t parsed = 0;
      if (parse_cookie_date(arg, &parsed)) {
        have_expires = true;
        expires = parsed;
      }
    } else if (iequals(key, "max-age")) {
      if (parse_max_age(arg, &max_age)) have_max_age = true;
    } else if (iequals(key, "domain")) {
      if (!arg.empty()) domain_attribute = lowercase(arg[0] == '.' ? arg.substr(1) : arg);
    } else if (iequals(key, "path")) {
      path_attribute = (!arg.empty() && arg[0] == '/') ? std::string(arg) : std::string();
    } else if (iequals(key, "secure")) {
      cookie.secure = true;
    } else if (iequals(key, "httponly")) {
      cookie.http_only = true;
    }
  }

  if (have_max_age) {
    if (max_age <= 0) {
      cookie.expires = kExpired;
    } else {
      cookie.expires =
          max_age >= kSession - 1 - now_unix_seconds ? kSession - 1 : now_unix_seconds + max_age;
    }
  } else if (have_expires) {
    cookie.expires = expires;
  }
  if (!domain_attribute.empty()) {
    if (!domain_matches(request_url.host, domain_attribute, request_url.host_is_ip())) {
      ++rejected_;
      return;
    }
    cookie.host_only = false;
    cookie.domain = std::move(domain_attribute);
  } else {
    cookie.domain = request_url.host;
  }
  cookie.path = path_attribute.empty() ? default_path(request_url.path) : path_attribute;
  insert(std::move(cookie), now_unix_seconds);
}

void CookieJar::set(std::string name, std::string value, std::string domain, std::string path) {
  if (!domain.empty() && domain[0] == '.') domain.erase(0, 1);
  if (name.empty() || domain.empty() || has_control(name) || has_control(value)) {
    ++rejected_;
    return;
  }
  Cookie cookie;
  cookie.name = std::move(name);
  cookie.value = std::move(value);
  cookie.domain = lowercase(domain);
  cookie.path = (!path.empty() && path[0] == '/') ? std::move(path) : "/";
  cookie.host_only = false;
  insert(std::move(cookie), 0);
}

void CookieJar::insert(Cookie cookie, int64_t now_unix) {
  bool expired = cookie.expires <= now_unix;
  for (auto it = cookies_.begin(); it != cookies_.end(); ++it) {
    if (it->name == cookie.name && it->domain == cookie.domain && it->path == cookie.path) {
      if (expired) {
        cookies_.erase(it);
      } else {
        *it = std::move(cookie);
      }
      return;
    }
  }
  if (expired) return;
  if (cookies_.size() >= kMaxCookies) {
    std::erase_if(cookies_, [now_unix](const Cookie& c) { return c.expires <= now_unix; });
    if (cookies_.size() >= kMaxCookies) cookies_.erase(cookies_.begin());
  }
  cookies_.push_back(std::move(cookie));
}

std::string CookieJar::header_for(const Url& url, int64_t now_unix) const {
  std::string header;
  if (cookies_.empty()) return header;
  bool host_is_ip = url.host_is_ip();
  auto matches = [&](const Cookie& c) {
    return c.expires > now_unix && (!c.secure || url.secure()) &&
           (c.host_only ? url.host == c.domain : domain_matches(url.host, c.domain, host_is_ip)) &&
           path_matches(url.path, c.path);
  };
  // Longest paths first, ties in creation order, without allocating a sort buffer: one pass per
  // distinct path length, which is cheap for the few cookies a VU holds.
  size_t below = SIZE_MAX;
  while (true) {
    size_t longest = 0;
    bool found = false;
    for (const Cookie& c : cookies_) {
      if (c.path.size() < below && (!found || c.path.size() > longest) && matches(c)) {
        longest = c.path.size();
        found = true;
      }
    }
    if (!found) break;
    for (const Cookie& c : cookies_) {
      if (c.path.size() == longest && matches(c)) {
        if (!header.empty()) header += "; ";
        header += c.name;
        header += '=';
        header += c.value;
      }
    }
    below = longest;
  }
  return header;
}

}  // namespace stampede
