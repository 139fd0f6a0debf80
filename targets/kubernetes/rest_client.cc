#include "targets/kubernetes/rest_client.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <thread>

#include "common/text.h"
#include "targets/kubernetes/backoff.h"

namespace stampede::kube {
namespace {

using Clock = std::chrono::steady_clock;

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// Connection failures where nothing reached the server: any request may be sent again.
bool nothing_sent(CURLcode code) {
  return code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
         code == CURLE_COULDNT_RESOLVE_PROXY;
}

// Failures after which the request may or may not have been processed.
bool transient_transport(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

}  // namespace

// Which calls are retried, and why:
//  - 429: Kubernetes' API Priority and Fairness rejects a request before running it, so every
//    verb is retried (client-go retries any verb on 429 and 5xx when Retry-After is present).
//  - 500, 502, 503, 504 and connection failures mid-request: the request may have run, so only
//    verbs whose repetition lands on the same state: GET, HEAD, PUT (it carries the
//    resourceVersion it replaces, so a replay conflicts instead of overwriting), DELETE (a
//    replay finds the object gone: 404, which callers treat as done), and PATCH with merge,
//    strategic-merge or apply patches — the kinds we send (scale replicas, the restart
//    annotation): they set values, so applying one twice is applying it once. Not POST and not
//    JSON patches (an "add" to a list would repeat).
//  - Connections that never got made (refused, unresolvable): every verb.
bool retryable(const RestRequest& request, int code, CURLcode curl_code) {
  std::string method = upper(request.method);
  bool idempotent = method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
                    (method == "PATCH" && request.content_type != kJsonPatch);
  if (code == 0) return nothing_sent(curl_code) || (idempotent && transient_transport(curl_code));
  if (code == 429) return true;
  if (code == 500 || code == 502 || code == 503 || code == 504) return idempotent;
  return false;
}

Result<nlohmann::json> RestResponse::json() const {
  if (trim(body).empty()) return nlohmann::json(nullptr);
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    return Error("the answer is not JSON (Content-Type " +
                 (content_type.empty() ? std::string("none") : content_type) + ")");
  }
  return parsed;
}

namespace {

// One HTTP exchange's outcome.
struct Attempt {
  CURLcode curl_code = CURLE_OK;
  std::string curl_message;
  int code = 0;
  std::string body;
  std::string content_type;
  std::vector<std::string> warnings;
  int retry_after_seconds = -1;  // from the Retry-After header; -1 none
  bool too_large = false;
  size_t max_body = 0;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  size_t n = size * count;
  if (attempt->body.size() + n > attempt->max_body) {
    attempt->too_large = true;
    return 0;  // aborts the transfer
  }
  attempt->body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    // A new status line (after 100 Continue, or a redirect we do not follow) resets them.
    if (line.rfind("HTTP/", 0) == 0) {
      attempt->content_type.clear();
      attempt->warnings.clear();
      attempt->retry_after_seconds = -1;
    }
    return n;
  }
  std::string name = upper(std::string(line.substr(0, colon)));
  std::string value = trim(line.substr(colon + 1));
  if (name == "CONTENT-TYPE") {
    attempt->content_type = value;
  } else if (name == "WARNING") {
    attempt->warnings.push_back(value);
  } else if (name == "RETRY-AFTER") {
    int seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    // An HTTP-date instead of seconds: wait the usual backoff.
    if (ec == std::errc() && end == value.data() + value.size() && seconds >= 0) {
      attempt->retry_after_seconds = seconds;
    }
  }
  return n;
}

}  // namespace

Result<std::unique_ptr<RestClient>> RestClient::create(std::shared_ptr<Credentials> credentials,
                                                       RestClientOptions options) {
  TransportOptions transport_options;
  transport_options.connect_timeout = options.connect_timeout;
  transport_options.user_agent = options.user_agent;
  auto transport = Transport::create(credentials->config(), transport_options);
  if (!transport.ok()) return transport.error();
  auto easy = make_curl_easy();
  if (!easy.ok()) return easy.error();
  return std::unique_ptr<RestClient>(new RestClient(std::move(credentials),
                                                    std::move(transport).value(),
                                                    std::move(easy).value(), std::move(options)));
}

RestClient::RestClient(std::shared_ptr<Credentials> credentials, Transport transport, CurlEasy easy,
                       RestClientOptions options)
    : credentials_(std::move(credentials)),
      transport_(std::move(transport)),
      easy_(std::move(easy)),
      options_(std::move(options)) {}

namespace {

// One HTTP exchange on `easy`. `cert_generation`: the client certificate the open connection
// was made with (updated).
void perform(CURL* easy, const Transport& transport, const RestClientOptions& options,
             uint64_t& cert_generation, const RestRequest& request, const AuthMaterial& auth,
             Attempt& attempt) {
  // Reset keeps the open connection (keep-alive) and drops every option of the last call.
  curl_easy_reset(easy);
  RequestLists lists;
  Status applied = transport.apply(easy, auth, lists);
  if (!applied.ok()) {
    attempt.curl_code = CURLE_UNKNOWN_OPTION;
    attempt.curl_message = applied.error().message();
    return;
  }
  // A new client certificate needs a new TLS session: the open connection used the old one.
  if (auth.has_client_cert() && auth.generation != cert_generation) {
    curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
  }
  std::string url = transport.url(request.path, request.query.encode());
  std::string method = upper(request.method);
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  if (method == "GET") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  if (!request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    std::string type = request.content_type.empty() ? kJsonContent : request.content_type;
    lists.headers.append("Content-Type: " + type);
  }
  lists.headers.append("Accept: " + request.accept);
  for (const auto& [name, value] : request.headers) lists.headers.append(name + ": " + value);
  lists.headers.append("Expect:");  // no 100-continue round trip for bodies
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, lists.headers.get());
  auto timeout = request.timeout.count() > 0 ? request.timeout : options.timeout;
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
  attempt.max_body = options.max_body;
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &attempt);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &attempt);

  attempt.curl_code = curl_easy_perform(easy);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
  if (attempt.curl_code != CURLE_OK) {
    attempt.curl_message = attempt.too_large ? "the answer is larger than " +
                                                   std::to_string(options.max_body) + " bytes"
                                             : std::string(errbuf);
    attempt.code = 0;
    return;
  }
  long code = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
  attempt.code = static_cast<int>(code);
  if (auth.has_client_cert()) cert_generation = auth.generation;
}

}  // namespace

ApiResult<RestResponse> RestClient::call(const RestRequest& request) {
  RequestInfo info = describe_request(
      request.method,
      request.path + (request.query.empty() ? std::string() : "?" + request.query.encode()));
  ErrorContext context{credentials_->source(), transport_.server(), options_.forbidden_hint};
  Backoff backoff(options_.initial_backoff, options_.max_backoff);
  auto started = Clock::now();
  auto deadline = started + options_.total_timeout;
  bool refreshed = false;
  int attempts = 0;
  int failures = 0;
  while (true) {
    auto auth = credentials_->current();
    if (!auth.ok()) return no_answer_error(info, auth.error().message());
    Attempt attempt;
    perform(easy_.get(), transport_, options_, cert_generation_, request, auth.value(), attempt);
    ++attempts;
    if (attempt.code >= 200 && attempt.code < 300) {
      RestResponse response;
      response.code = attempt.code;
      response.body = std::move(attempt.body);
      response.content_type = std::move(attempt.content_type);
      response.warnings = std::move(attempt.warnings);
      response.attempts = attempts;
      return response;
    }
    if (attempt.code == 401 && !refreshed && !request.proxied) {
      refreshed = true;
      // Re-read the token file or re-run the plugin; only a changed credential is worth a try.
      if (credentials_->invalidate(auth.value().generation)) {
        auto fresh = credentials_->current();
        if (fresh.ok() && fresh.value().generation != auth.value().generation) continue;
      }
    }
    auto fail = [&]() -> ApiError {
      if (attempt.code == 0) {
        return no_answer_error(
            info, transport_.describe_failure(attempt.curl_code, attempt.curl_message));
      }
      if (request.proxied && !parse_status(attempt.body)) {
        std::string body = trim(attempt.body).substr(0, 200);
        return ApiError(attempt.code, std::nullopt, info,
                        Error(info.verb + " " + request.path + ": the pod answered " +
                              std::to_string(attempt.code) + (body.empty() ? "" : ": " + body)));
      }
      return error_from_response(info, attempt.code, attempt.body, context);
    };
    ++failures;
    int max_attempts = request.max_attempts > 0 ? request.max_attempts : options_.max_attempts;
    if (failures >= max_attempts || !retryable(request, attempt.code, attempt.curl_code)) {
      ApiError error = fail();
      if (failures > 1) {
        return ApiError(
            error.code(), error.status(), error.request(),
            Error(error.message() + " (after " + std::to_string(attempts) + " attempts)"));
      }
      return error;
    }
    // The server's own advice first: Retry-After, else the Status' retryAfterSeconds.
    std::chrono::milliseconds wait = backoff.next();
    int advised = attempt.retry_after_seconds;
    if (advised < 0 && attempt.code != 0) {
      auto status = parse_status(attempt.body);
      if (status && status->retry_after_seconds > 0) advised = status->retry_after_seconds;
    }
    if (advised >= 0) wait = std::chrono::seconds(advised);
    if (Clock::now() + wait > deadline) return fail();
    std::this_thread::sleep_for(wait);
  }
}

ApiResult<nlohmann::json> RestClient::json_call(const RestRequest& request) {
  auto response = call(request);
  if (!response.ok()) return response.api_error();
  auto parsed = response.value().json();
  if (!parsed.ok()) {
    RequestInfo info = describe_request(request.method, request.path);
    return ApiError(response.value().code, std::nullopt, info,
                    Error(info.describe() + ": " + parsed.error().message()));
  }
  return std::move(parsed).value();
}

ApiResult<nlohmann::json> RestClient::get(const std::string& path, const Query& query) {
  RestRequest r;
  r.method = "GET";
  r.path = path;
  r.query = query;
  return json_call(r);
}

ApiResult<nlohmann::json> RestClient::create(const std::string& path,
                                             const nlohmann::json& object) {
  RestRequest r;
  r.method = "POST";
  r.path = path;
  r.body = object.dump();
  return json_call(r);
}

ApiResult<nlohmann::json> RestClient::replace(const std::string& path,
                                              const nlohmann::json& object) {
  RestRequest r;
  r.method = "PUT";
  r.path = path;
  r.body = object.dump();
  return json_call(r);
}

ApiResult<nlohmann::json> RestClient::patch(const std::string& path, const nlohmann::json& patch,
                                            const std::string& content_type) {
  RestRequest r;
  r.method = "PATCH";
  r.path = path;
  r.body = patch.dump();
  r.content_type = content_type;
  return json_call(r);
}

ApiResult<nlohmann::json> RestClient::remove(const std::string& path,
                                             const nlohmann::json& options) {
  RestRequest r;
  r.method = "DELETE";
  r.path = path;
  if (!options.is_null()) r.body = options.dump();
  return json_call(r);
}

}  // namespace stampede::kube
