#include "targets/local/api/api_request.h"

#include <gtest/gtest.h>

namespace stampede::local {
namespace {

namespace bhttp = boost::beast::http;

TEST(ApiReply, InvalidUtf8InALogLineIsReplacedNotAFailure) {
  http::Request request(bhttp::verb::get, "/v1/pods", 11);
  nlohmann::json body = {{"last_log_lines", {std::string("ok"), std::string("bad \xff\xfe byte")}}};
  http::Reply reply = json_reply(request, 200, body);
  EXPECT_EQ(reply.response.result_int(), 200u);
  const std::string& text = reply.response.body();
  EXPECT_NE(text.find("bad \xEF\xBF\xBD"), std::string::npos) << text;
  EXPECT_TRUE(nlohmann::json::parse(text, nullptr, false).is_object()) << text;
}

}  // namespace
}  // namespace stampede::local
