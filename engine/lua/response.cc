#include "engine/lua/response.h"

#include <cstring>
#include <string>

namespace stampede {
namespace {

const char* const kResponseType = "stampede.Response";

// Fixed-size head of the userdata; the variable-length strings follow it in this order.
struct ResponseHead {
  int status;
  int error_code;
  HttpErrorKind error;
  double
      timings_ms[7];  // duration, blocked, connecting, tls_handshaking, sending, waiting, receiving
  uint32_t proto_len, url_len, headers_len, body_len, error_len;
};

const char* strings_of(const ResponseHead* head) {
  return reinterpret_cast<const char*>(head + 1);
}

std::string_view field(const ResponseHead* head, int which) {
  const uint32_t lens[] = {head->proto_len, head->url_len, head->headers_len, head->body_len,
                           head->error_len};
  const char* p = strings_of(head);
  for (int i = 0; i < which; ++i) p += lens[i];
  return {p, lens[which]};
}
enum Field { kProto, kUrl, kHeaders, kBody, kError };

double ms(Nanos ns) {
  return static_cast<double>(ns) / kNanosPerMilli;
}

// The cache table in the userdata's user value; created on first use. Leaves it on the stack.
void push_cache(lua_State* L, int ud) {
  if (lua_getiuservalue(L, ud, 1) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setiuservalue(L, ud, 1);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// headers[name] for a name in another case: scan the table comparing lower-cased keys.
int headers_index(lua_State* L) {
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  std::string want = lower(lua_tostring(L, 2));
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING && lower(lua_tostring(L, -2)) == want) return 1;
    lua_pop(L, 1);
  }
  return 0;
}

void push_headers(lua_State* L, std::string_view raw, bool set_cookie_only) {
  lua_newtable(L);
  while (!raw.empty()) {
    size_t eol = raw.find('\n');
    std::string_view line = raw.substr(0, eol);
    raw = eol == std::string_view::npos ? std::string_view() : raw.substr(eol + 1);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (set_cookie_only) {
      if (lower(name) != "set-cookie") continue;
      size_t eq = value.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view cookie_value = value.substr(eq + 1);
      cookie_value = cookie_value.substr(0, cookie_value.find(';'));
      lua_pushlstring(L, cookie_value.data(), cookie_value.size());
      lua_setfield(L, -2, std::string(trim(value.substr(0, eq))).c_str());
      continue;
    }
    std::string key(name);
    // Repeated headers are joined with ", " (as k6 and Go's Header.Get do for display).
    if (lua_getfield(L, -1, key.c_str()) == LUA_TSTRING) {
      std::string joined = lua_tostring(L, -1);
      joined += ", ";
      joined.append(value);
      lua_pop(L, 1);
      lua_pushlstring(L, joined.data(), joined.size());
    } else {
      lua_pop(L, 1);
      lua_pushlstring(L, value.data(), value.size());
    }
    lua_setfield(L, -2, key.c_str());
  }
  if (!set_cookie_only) {
    lua_newtable(L);
    lua_pushcfunction(L, headers_index);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
  }
}

int response_json(lua_State* L) {
  auto* head = static_cast<ResponseHead*>(luaL_checkudata(L, 1, kResponseType));
  std::string_view body = field(head, kBody);
  lua_getglobal(L, "json");
  lua_getfield(L, -1, "decode");
  lua_pushlstring(L, body.data(), body.size());
  lua_call(L, 1, 1);
  return 1;
}

// Cached lazily-built value under `key`, built by `build` on a miss.
template <typename Build>
int cached(lua_State* L, const char* key, Build build) {
  push_cache(L, 1);
  if (lua_getfield(L, -1, key) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  build();
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, key);
  return 1;
}

int response_index(lua_State* L) {
  auto* head = static_cast<ResponseHead*>(luaL_checkudata(L, 1, kResponseType));
  const char* key = luaL_checkstring(L, 2);
  if (std::strcmp(key, "status") == 0) {
    lua_pushinteger(L, head->status);
  } else if (std::strcmp(key, "body") == 0) {
    return cached(L, "body", [&] {
      std::string_view b = field(head, kBody);
      lua_pushlstring(L, b.data(), b.size());
    });
  } else if (std::strcmp(key, "headers") == 0) {
    return cached(L, "headers", [&] { push_headers(L, field(head, kHeaders), false); });
  } else if (std::strcmp(key, "cookies") == 0) {
    return cached(L, "cookies", [&] { push_headers(L, field(head, kHeaders), true); });
  } else if (std::strcmp(key, "json") == 0) {
    lua_pushcfunction(L, response_json);
  } else if (std::strcmp(key, "timings") == 0) {
    return cached(L, "timings", [&] {
      static const char* const kNames[] = {"duration", "blocked", "connecting", "tls_handshaking",
                                           "sending",  "waiting", "receiving"};
      lua_createtable(L, 0, 7);
      for (int i = 0; i < 7; ++i) {
        lua_pushnumber(L, head->timings_ms[i]);
        lua_setfield(L, -2, kNames[i]);
      }
    });
  } else if (std::strcmp(key, "error") == 0) {
    if (head->error == HttpErrorKind::kNone) return 0;
    std::string_view e = field(head, kError);
    lua_pushlstring(L, e.data(), e.size());
  } else if (std::strcmp(key, "error_code") == 0) {
    lua_pushinteger(L, head->error_code);
  } else if (std::strcmp(key, "url") == 0) {
    std::string_view u = field(head, kUrl);
    lua_pushlstring(L, u.data(), u.size());
  } else if (std::strcmp(key, "proto") == 0) {
    std::string_view p = field(head, kProto);
    lua_pushlstring(L, p.data(), p.size());
  } else {
    return 0;
  }
  return 1;
}

int response_tostring(lua_State* L) {
  auto* head = static_cast<ResponseHead*>(luaL_checkudata(L, 1, kResponseType));
  std::string_view u = field(head, kUrl);
  lua_pushfstring(L, "Response(%d %s)", head->status, std::string(u).c_str());
  return 1;
}

}  // namespace

void register_response_type(lua_State* L) {
  luaL_newmetatable(L, kResponseType);
  lua_pushcfunction(L, response_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, response_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
}

void push_response(lua_State* L, const HttpExchange& exchange, std::string_view url) {
  const HttpResponse& r = exchange.response;
  std::string error_text;
  if (r.error != HttpErrorKind::kNone) {
    error_text = http_error_name(r.error);
    if (!r.error_message.empty()) error_text += ": " + r.error_message;
  }
  size_t total =
      r.proto.size() + url.size() + r.headers_raw.size() + r.body.size() + error_text.size();
  auto* head = static_cast<ResponseHead*>(lua_newuserdatauv(L, sizeof(ResponseHead) + total, 1));
  head->status = r.status;
  head->error = r.error;
  head->error_code = r.error != HttpErrorKind::kNone ? http_error_code(r.error)
                     : r.status >= 400               ? 1000 + r.status
                                                     : 0;
  const HttpTimings& t = r.timings;
  double timings[7] = {ms(t.duration), ms(t.blocked), ms(t.connecting), ms(t.tls_handshaking),
                       ms(t.sending),  ms(t.waiting), ms(t.receiving)};
  std::memcpy(head->timings_ms, timings, sizeof(timings));
  head->proto_len = static_cast<uint32_t>(r.proto.size());
  head->url_len = static_cast<uint32_t>(url.size());
  head->headers_len = static_cast<uint32_t>(r.headers_raw.size());
  head->body_len = static_cast<uint32_t>(r.body.size());
  head->error_len = static_cast<uint32_t>(error_text.size());
  char* p = reinterpret_cast<char*>(head + 1);
  for (std::string_view s : {std::string_view(r.proto), url, std::string_view(r.headers_raw),
                             std::string_view(r.body), std::string_view(error_text)}) {
    std::memcpy(p, s.data(), s.size());
    p += s.size();
  }
  luaL_setmetatable(L, kResponseType);
}

}  // namespace stampede
