// Endpoint text as flags give it: "HOST:PORT" with an IP literal host ("127.0.0.1:8080",
// "[::1]:8080"), optionally named "POD=HOST:PORT".
#pragma once

#include <string>

#include "common/result.h"
#include "targets/local/proxy/service_proxy.h"

namespace stampede::local {

// Parses one endpoint; the pod name defaults to the text itself. Errors quote the text and say
// what is wrong, e.g. "'127.0.0.1': expected HOST:PORT".
Result<Endpoint> parse_endpoint(const std::string& text);

}  // namespace stampede::local
