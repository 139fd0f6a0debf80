#include "reports/html_report.h"

#include <string_view>
#include <utility>
#include <vector>

#include "reports/text_util.h"

namespace stampede {

// Embedded at build time (reports/CMakeLists.txt, cmake/embed_text.cmake).
extern const unsigned char kReportTemplate[];
extern const unsigned char kReportJs[];
extern const unsigned char kReportCss[];
extern const unsigned char kUplotJs[];
extern const unsigned char kUplotCss[];

namespace {

std::string_view text_of(const unsigned char* bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes));
}

// The document as script data: '<' never appears raw, so neither "</script" nor "<!--" can end
// or change the element. '<' occurs only inside JSON strings, where \u003c means the same.
std::string script_json(const nlohmann::json& doc) {
  std::string text = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + 64);
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

// A script or style body must not contain its own closing tag; the embedded assets are ours or
// uPlot's minified build, neither of which does, but a stray one would break the page silently.
std::string safe_body(std::string_view text, std::string_view closing) {
  std::string out(text);
  for (size_t at = out.find(closing); at != std::string::npos; at = out.find(closing, at + 2)) {
    out.replace(at, 2, "<\\/");
  }
  return out;
}

}  // namespace

std::string render_html_report(const nlohmann::json& doc) {
  const std::string title = "stampede report: " + doc["run"]["script"].get<std::string>() + " (" +
                            (doc["verdict"]["passed"].get<bool>() ? "passed" : "failed") + ")";
  const std::vector<std::pair<std::string_view, std::string>> parts = {
      {"{{TITLE}}", xml_escape(title)},
      {"{{UPLOT_CSS}}", safe_body(text_of(kUplotCss), "</style")},
      {"{{REPORT_CSS}}", safe_body(text_of(kReportCss), "</style")},
      {"{{DATA}}", script_json(doc)},
      {"{{UPLOT_JS}}", safe_body(text_of(kUplotJs), "</script")},
      {"{{REPORT_JS}}", safe_body(text_of(kReportJs), "</script")},
  };
  // One pass over the template: inserted parts are never scanned for markers.
  std::string_view tpl = text_of(kReportTemplate);
  std::string out;
  size_t pos = 0;
  while (pos < tpl.size()) {
    size_t next = tpl.find("{{", pos);
    if (next == std::string_view::npos) break;
    bool replaced = false;
    for (const auto& [marker, value] : parts) {
      if (tpl.substr(next, marker.size()) == marker) {
        out.append(tpl.substr(pos, next - pos));
        out += value;
        pos = next + marker.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      out.append(tpl.substr(pos, next + 2 - pos));
      pos = next + 2;
    }
  }
  out.append(tpl.substr(pos));
  return out;
}

}  // namespace stampede
