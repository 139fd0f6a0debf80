// The `http` table: get, head, post, put, patch, delete, options, request, batch.
//
// Each call fills pooled HttpCalls from the arguments, hands them to the VuHost and yields; the
// host resumes the VU with the response (or a table of responses for batch). Argument errors
// raise a Lua error naming the function and argument. No C++ object with a destructor is alive
// in a lua_CFunction frame when it raises or yields (both longjmp).
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

#include "engine/lua/api.h"
#include "engine/lua/vu_context.h"

namespace stampede {
namespace {

// Pushes an error message "fn: text" and returns false.
bool fail_arg(lua_State* L, const char* fn, const std::string& text) {
  lua_pushfstring(L, "%s: %s", fn, text.c_str());
  return false;
}

bool read_headers(lua_State* L, int index, const char* fn, HttpCall* call, bool* content_type) {
  if (!lua_istable(L, index)) return fail_arg(L, fn, "params.headers must be a table");
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING || !lua_isstring(L, -1)) {
      lua_pop(L, 2);
      return fail_arg(L, fn, "params.headers must map header names to strings");
    }
    size_t name_len, value_len;
    const char* name = lua_tolstring(L, -2, &name_len);
    const char* value = lua_tolstring(L, -1, &value_len);
    if (std::memchr(value, '\n', value_len) != nullptr ||
        std::memchr(value, '\r', value_len) != nullptr) {
      lua_pop(L, 2);
      return fail_arg(L, fn, "header values must not contain line breaks");
    }
    if (strcasecmp(name, "content-type") == 0) *content_type = true;
    std::string line(name, name_len);
    line.append(": ").append(value, value_len);
    call->exchange.request.headers.push_back(std::move(line));
    lua_pop(L, 1);
  }
  return true;
}

bool read_string_map(lua_State* L, int index, const char* fn, const char* what,
                     std::vector<Tag>& out) {
  if (!lua_istable(L, index)) return fail_arg(L, fn, std::string(what) + " must be a table");
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING || !lua_isstring(L, -1)) {
      lua_pop(L, 2);
      return fail_arg(L, fn, std::string(what) + " must map names to strings");
    }
    out.emplace_back(lua_tostring(L, -2), lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  return true;
}

// Every reader below leaves the stack as it found it on success; on failure it leaves one error
// message on top (popping the field value it pushed).
// t[key] without metamethods (a raising __index must not skip the cleanup of queued calls).
int raw_field(lua_State* L, int index, const char* key) {
  lua_pushstring(L, key);
  return lua_rawget(L, index);
}

bool read_params(lua_State* L, int index, const char* fn, HttpCall* call, bool* content_type) {
  if (lua_isnoneornil(L, index)) return true;
  if (!lua_istable(L, index)) return fail_arg(L, fn, "params must be a table");
  index = lua_absindex(L, index);
  auto field_failed = [L]() {
    lua_replace(L, -2);  // drop the field value, keep the message
    return false;
  };
  if (raw_field(L, index, "headers") != LUA_TNIL &&
      !read_headers(L, lua_gettop(L), fn, call, content_type)) {
    return field_failed();
  }
  lua_pop(L, 1);
  if (raw_field(L, index, "name") != LUA_TNIL) {
    if (!lua_isstring(L, -1)) {
      fail_arg(L, fn, "params.name must be a string");
      return field_failed();
    }
    call->name = lua_tostring(L, -1);
  }
  lua_pop(L, 1);
  if (raw_field(L, index, "tags") != LUA_TNIL &&
      !read_string_map(L, lua_gettop(L), fn, "params.tags", call->tags)) {
    return field_failed();
  }
  lua_pop(L, 1);
  if (raw_field(L, index, "cookies") != LUA_TNIL) {
    std::vector<Tag> cookies;
    if (!read_string_map(L, lua_gettop(L), fn, "params.cookies", cookies)) return field_failed();
    for (const Tag& c : cookies) {
      if (!call->cookies.empty()) call->cookies += "; ";
      call->cookies += c.first + "=" + c.second;
    }
  }
  lua_pop(L, 1);
  if (raw_field(L, index, "timeout") != LUA_TNIL) {
    int64_t timeout = 0;
    if (!read_duration_arg(L, -1, "params.timeout", &timeout)) return field_failed();
    if (timeout <= 0) {
      fail_arg(L, fn, "params.timeout must be positive");
      return field_failed();
    }
    call->exchange.request.timeout = timeout;
  }
  lua_pop(L, 1);
  if (raw_field(L, index, "redirects") != LUA_TNIL) {
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0) {
      fail_arg(L, fn, "params.redirects must be a non-negative integer");
      return field_failed();
    }
    call->redirects_left = static_cast<int>(lua_tointeger(L, -1));
  }
  lua_pop(L, 1);
  if (raw_field(L, index, "discard_body") != LUA_TNIL) {
    call->exchange.request.discard_body = lua_toboolean(L, -1);
  }
  lua_pop(L, 1);
  return true;
}

bool read_body(lua_State* L, int index, const char* fn, HttpCall* call, bool content_type) {
  int type = lua_type(L, index);
  if (type == LUA_TNONE || type == LUA_TNIL) return true;
  if (type == LUA_TSTRING) {
    size_t len;
    const char* body = lua_tolstring(L, index, &len);
    call->exchange.request.body.assign(body, len);
    return true;
  }
  if (type == LUA_TTABLE) {  // a form, as k6 does for object bodies
    std::vector<Tag> fields;
    if (!read_string_map(L, index, fn, "a table body", fields)) return false;
    call->exchange.request.body = form_encode(fields);
    if (!content_type) {
      call->exchange.request.headers.emplace_back(
          "Content-Type: application/x-www-form-urlencoded");
    }
    return true;
  }
  return fail_arg(L, fn,
                  std::string("body must be a string or a table, got ") + lua_typename(L, type));
}

// Fills one queued call. Indices of 0 mean "absent".
bool fill_call(lua_State* L, VuContext* vu, const char* fn, const char* method, int url_index,
               int body_index, int params_index) {
  HttpCall* call = vu->host->http_call(*vu);
  call->exchange.request.method = method;
  if (lua_type(L, url_index) != LUA_TSTRING) {
    return fail_arg(L, fn,
                    std::string("expected a URL string, got ") + luaL_typename(L, url_index));
  }
  auto url = parse_url(lua_tostring(L, url_index));
  if (!url.ok()) return fail_arg(L, fn, url.error().message());
  call->url = std::move(url).value();
  call->exchange.request.url = lua_tostring(L, url_index);
  bool content_type = false;
  if (params_index != 0 && !read_params(L, params_index, fn, call, &content_type)) return false;
  if (body_index != 0 && !read_body(L, body_index, fn, call, content_type)) return false;
  return true;
}

bool upper_method(lua_State* L, int index, const char* fn, char* out, size_t cap) {
  if (lua_type(L, index) != LUA_TSTRING) return fail_arg(L, fn, "method must be a string");
  size_t len;
  const char* m = lua_tolstring(L, index, &len);
  if (len == 0 || len >= cap) return fail_arg(L, fn, "invalid method");
  for (size_t i = 0; i < len; ++i) {
    if (!std::isalpha(static_cast<unsigned char>(m[i]))) {
      return fail_arg(L, fn, "invalid method '" + std::string(m, len) + "'");
    }
    out[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(m[i])));
  }
  out[len] = '\0';
  return true;
}

// Starts the queued calls and yields; or discards them and raises the pushed message.
int submit_or_raise(lua_State* L, VuContext* vu, bool ok, bool batch) {
  if (!ok) {
    vu->host->http_discard(*vu);
    return lua_error(L);
  }
  vu->host->http_submit(*vu, batch);
  vu->waiting = true;
  return lua_yield(L, 0);
}

template <const char* kMethod, bool kHasBody>
int l_simple(lua_State* L) {
  char fn[32] = "http.";
  for (size_t i = 0; kMethod[i] != '\0' && i < 20; ++i) {
    fn[5 + i] = static_cast<char>(std::tolower(static_cast<unsigned char>(kMethod[i])));
    fn[6 + i] = '\0';
  }
  VuContext* vu = require_waiting_vu(L, fn);
  bool ok =
      kHasBody ? fill_call(L, vu, fn, kMethod, 1, 2, 3) : fill_call(L, vu, fn, kMethod, 1, 0, 2);
  return submit_or_raise(L, vu, ok, false);
}

int l_request(lua_State* L) {
  VuContext* vu = require_waiting_vu(L, "http.request");
  char method[16];
  bool ok = upper_method(L, 1, "http.request", method, sizeof(method)) &&
            fill_call(L, vu, "http.request", method, 2, 3, 4);
  return submit_or_raise(L, vu, ok, false);
}

// One batch entry at the top of the stack: "url", {method, url, body, params} or
// {method=, url=, body=, params=}.
bool fill_batch_entry(lua_State* L, VuContext* vu) {
  int entry = lua_gettop(L);
  if (lua_type(L, entry) == LUA_TSTRING) return fill_call(L, vu, "http.batch", "GET", entry, 0, 0);
  if (!lua_istable(L, entry)) {
    return fail_arg(L, "http.batch", "each request must be a URL string or a table");
  }
  bool positional = lua_rawlen(L, entry) > 0;
  const char* keys[] = {"method", "url", "body", "params"};
  for (int i = 0; i < 4; ++i) {
    if (positional) {
      lua_rawgeti(L, entry, i + 1);
    } else {
      raw_field(L, entry, keys[i]);
    }
  }
  // Stack: entry, method, url, body, params.
  char method[16] = "GET";
  bool ok = lua_isnil(L, entry + 1) || upper_method(L, entry + 1, "http.batch", method, 16);
  if (ok) ok = fill_call(L, vu, "http.batch", method, entry + 2, entry + 3, entry + 4);
  if (!ok) {
    lua_replace(L, entry);  // keep only the message
    lua_settop(L, entry);
    return false;
  }
  lua_settop(L, entry);
  return true;
}

int l_batch(lua_State* L) {
  VuContext* vu = require_waiting_vu(L, "http.batch");
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 1));
  if (n == 0) {
    lua_newtable(L);
    return 1;
  }
  bool ok = true;
  for (lua_Integer i = 1; i <= n && ok; ++i) {
    lua_rawgeti(L, 1, i);
    ok = fill_batch_entry(L, vu);
    if (ok) lua_pop(L, 1);
  }
  return submit_or_raise(L, vu, ok, true);
}

constexpr char kGet[] = "GET";
constexpr char kHead[] = "HEAD";
constexpr char kPost[] = "POST";
constexpr char kPut[] = "PUT";
constexpr char kPatch[] = "PATCH";
constexpr char kDelete[] = "DELETE";
constexpr char kOptions[] = "OPTIONS";

}  // namespace

void open_http_api(lua_State* L) {
  const luaL_Reg fns[] = {{"get", l_simple<kGet, false>},
                          {"head", l_simple<kHead, false>},
                          {"post", l_simple<kPost, true>},
                          {"put", l_simple<kPut, true>},
                          {"patch", l_simple<kPatch, true>},
                          {"delete", l_simple<kDelete, true>},
                          {"del", l_simple<kDelete, true>},
                          {"options", l_simple<kOptions, true>},
                          {"request", l_request},
                          {"batch", l_batch},
                          {nullptr, nullptr}};
  luaL_newlib(L, fns);
  lua_setglobal(L, "http");
}

}  // namespace stampede
