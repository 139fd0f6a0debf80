#include "engine/http/http_exchange.h"

namespace stampede {

const char* http_error_name(HttpErrorKind kind) {
  switch (kind) {
    case HttpErrorKind::kNone:
      return "";
    case HttpErrorKind::kConnectionRefused:
      return "connection refused";
    case HttpErrorKind::kConnectionReset:
      return "connection reset";
    case HttpErrorKind::kTimeout:
      return "timeout";
    case HttpErrorKind::kDns:
      return "dns lookup failed";
    case HttpErrorKind::kEmptyReply:
      return "empty reply";
    case HttpErrorKind::kTls:
      return "tls error";
    case HttpErrorKind::kTooLarge:
      return "response too large";
    case HttpErrorKind::kInvalidUrl:
      return "invalid url";
    case HttpErrorKind::kCancelled:
      return "cancelled";
    case HttpErrorKind::kOther:
      return "transport error";
  }
  return "transport error";
}

int http_error_code(HttpErrorKind kind) {
  // k6's error codes (https://grafana.com/docs/k6/latest/javascript-api/error-codes/).
  switch (kind) {
    case HttpErrorKind::kNone:
      return 0;
    case HttpErrorKind::kConnectionRefused:
      return 1212;
    case HttpErrorKind::kConnectionReset:
      return 1220;
    case HttpErrorKind::kTimeout:
      return 1050;
    case HttpErrorKind::kDns:
      return 1100;
    case HttpErrorKind::kEmptyReply:
      return 1000;
    case HttpErrorKind::kTls:
      return 1300;
    case HttpErrorKind::kTooLarge:
      return 1000;
    case HttpErrorKind::kInvalidUrl:
      return 1020;
    case HttpErrorKind::kCancelled:
      return 1000;
    case HttpErrorKind::kOther:
      return 1000;
  }
  return 1000;
}

}  // namespace stampede
