// Base64 as Kubernetes uses it: the standard alphabet for kubeconfig `*-data` fields and the
// exec plugin's cluster info (Go's []byte in JSON), the URL-safe one for JWT payloads. Pure
// functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stampede::kube {

// Decodes standard base64. Line breaks (\r, \n) are skipped as Go's decoder skips them; padding
// may be left out. nullopt on any other character outside the alphabet or a bad length.
std::optional<std::string> base64_decode(std::string_view text);
// Decodes base64url ('-' and '_'; padding optional), as in a JWT. nullopt when malformed.
std::optional<std::string> base64url_decode(std::string_view text);
// Encodes with the standard alphabet and padding.
std::string base64_encode(std::string_view bytes);

}  // namespace stampede::kube
