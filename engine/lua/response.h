// The response object scripts receive from http.*: a userdata with lazy fields.
//
// Status, timings and error are plain numbers in the userdata; the body and raw headers are
// copied once into the userdata's own memory, and become Lua strings/tables only when the
// script reads r.body / r.headers / r:json() (then cached). Fields: status, proto, url, body,
// headers (case-insensitive lookup), cookies, timings, error, error_code, json().
#pragma once

#include <lua.hpp>

#include <string_view>

#include "engine/http/http_exchange.h"

namespace stampede {

// Registers the response metatable in L; call once per state.
void register_response_type(lua_State* L);

// Pushes a response built from `exchange` (its final hop) whose URL was `url`.
void push_response(lua_State* L, const HttpExchange& exchange, std::string_view url);

}  // namespace stampede
