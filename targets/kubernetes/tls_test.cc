// TLS against a real TLS server: `openssl s_server -www` (it answers any GET with a page) with a
// CA, server and client certificates made by `openssl req`/`openssl x509` in a temp folder.
// Proves the trust settings (CA file, CA data, a wrong CA, insecure-skip-tls-verify),
// tls-server-name, and client certificates from data and from files.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/read_file.h"
#include "common/testing/temp_dir.h"
#include "targets/kubernetes/rest_client.h"
#include "targets/kubernetes/subprocess.h"

extern char** environ;

namespace stampede::kube {
namespace {

using stampede::TempDir;

std::string openssl_path() {
  const char* path = std::getenv("PATH");
  auto found = find_executable("openssl", path != nullptr ? path : "/usr/bin:/bin");
  return found ? *found : "";
}

// Runs openssl with `args` to completion; the error names the command and its stderr.
Status openssl(const std::vector<std::string>& args) {
  SubprocessSpec spec;
  spec.path = openssl_path();
  spec.argv = {"openssl"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  for (char** e = environ; *e != nullptr; ++e) spec.env.emplace_back(*e);
  spec.timeout = std::chrono::seconds(30);
  auto ran = run_subprocess(spec);
  if (!ran.ok()) return ran.error();
  if (ran.value().exit_code != 0) return Error("openssl " + args[0] + ": " + ran.value().err);
  return Status::Ok();
}

// A CA, a second (wrong) CA, server certificates and a client certificate, made once.
struct Pki {
  TempDir dir;
  Status status;

  Pki() { status = make(); }
  std::string file(const std::string& name) const { return dir.file(name); }
  std::string pem(const std::string& name) const { return read_text_file(file(name)).value(); }

 private:
  Status key_and_csr(const std::string& name, const std::string& cn) {
    return openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", file(name + ".key"), "-out", file(name + ".csr"), "-subj",
                    "/CN=" + cn});
  }
  Status sign(const std::string& name, const std::string& extensions) {
    dir.write(name + ".ext", extensions);
    return openssl({"x509", "-req", "-in", file(name + ".csr"), "-CA", file("ca.crt"), "-CAkey",
                    file("ca.key"), "-CAcreateserial", "-days", "2", "-out", file(name + ".crt"),
                    "-extfile", file(name + ".ext")});
  }
  Status make() {
    for (const char* ca : {"ca", "wrong-ca"}) {
      Status s = openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt",
                          "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                          file(std::string(ca) + ".key"), "-out", file(std::string(ca) + ".crt"),
                          "-days", "2", "-subj", std::string("/CN=stampede test ") + ca});
      if (!s.ok()) return s;
    }
    // "ip": names 127.0.0.1. "named": names only api.stampede.test (tls-server-name needed).
    for (auto [name, san] :
         {std::pair{"ip", "IP:127.0.0.1"}, std::pair{"named", "DNS:api.stampede.test"}}) {
      if (Status s = key_and_csr(name, name); !s.ok()) return s;
      if (Status s =
              sign(name, std::string("subjectAltName=") + san + "\nextendedKeyUsage=serverAuth\n");
          !s.ok()) {
        return s;
      }
    }
    if (Status s = key_and_csr("client", "stampede-runner"); !s.ok()) return s;
    return sign("client", "extendedKeyUsage=clientAuth\n");
  }
};

// `openssl s_server` on an ephemeral loopback port; killed on destruction.
class TlsServer {
 public:
  TlsServer(const Pki& pki, const std::string& cert, bool require_client_cert) {
    log_ = pki.dir.file(cert + (require_client_cert ? "-mtls" : "") + ".log");
    std::vector<std::string> args = {"openssl", "s_server",
                                     "-accept", "127.0.0.1:0",
                                     "-cert",   pki.file(cert + ".crt"),
                                     "-key",    pki.file(cert + ".key"),
                                     "-www"};
    if (require_client_cert) {
      for (const char* a : {"-Verify", "1", "-CAfile"}) args.emplace_back(a);
      args.push_back(pki.file("ca.crt"));
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::string path = openssl_path();
    if (posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    // It prints "ACCEPT 127.0.0.1:PORT" once listening.
    for (int i = 0; i < 200 && pid_ > 0 && port_ == 0; ++i) {
      std::string log = read_text_file(log_).ok() ? read_text_file(log_).value() : "";
      size_t at = log.find("ACCEPT 127.0.0.1:");
      if (at != std::string::npos && log.find('\n', at) != std::string::npos) {
        port_ = std::stoi(log.substr(at + 17));
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
    }
  }
  ~TlsServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return read_text_file(log_).ok() ? read_text_file(log_).value() : ""; }

 private:
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (openssl_path().empty()) return;
    pki_ = new Pki();
    if (!pki_->status.ok()) return;
    server_ = new TlsServer(*pki_, "ip", false);
    mtls_ = new TlsServer(*pki_, "named", true);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete mtls_;
    delete pki_;
    server_ = mtls_ = nullptr;
    pki_ = nullptr;
  }
  void SetUp() override {
    if (openssl_path().empty()) GTEST_SKIP() << "openssl is not installed: TLS tests skipped";
    ASSERT_TRUE(pki_->status.ok()) << pki_->status.error().message();
    ASSERT_GT(server_->port(), 0) << server_->log();
    ASSERT_GT(mtls_->port(), 0) << mtls_->log();
  }

  // GET / with `config`; the body, or the error message prefixed by "error: ".
  static std::string get(RestConfig config) {
    config.source = "test";
    RestClientOptions options;
    options.max_attempts = 1;
    options.timeout = std::chrono::seconds(10);
    auto client = RestClient::create(std::make_shared<Credentials>(config), options);
    if (!client.ok()) return "error: " + client.error().message();
    RestRequest request;
    request.path = "/";
    request.accept = "*/*";
    auto answer = client.value()->call(request);
    if (!answer.ok()) return "error: " + answer.error().message();
    return answer.value().body;
  }

  static Pki* pki_;
  static TlsServer* server_;  // certificate for IP:127.0.0.1
  static TlsServer* mtls_;    // certificate for DNS:api.stampede.test, client certificate required
};

Pki* TlsTest::pki_ = nullptr;
TlsServer* TlsTest::server_ = nullptr;
TlsServer* TlsTest::mtls_ = nullptr;

bool answered(const std::string& body) {
  return body.find("<HTML>") != std::string::npos;
}

TEST_F(TlsTest, VerifiesTheServerWithTheCaFileOrData) {
  RestConfig file;
  file.server = server_->url();
  file.ca_file = pki_->file("ca.crt");
  EXPECT_TRUE(answered(get(file))) << get(file);
  RestConfig data;
  data.server = server_->url();
  data.ca_data = pki_->pem("ca.crt");
  EXPECT_TRUE(answered(get(data))) << get(data);
}

TEST_F(TlsTest, AWrongCaFailsWithAClearError) {
  RestConfig config;
  config.server = server_->url();
  config.ca_data = pki_->pem("wrong-ca.crt");
  std::string error = get(config);
  EXPECT_EQ(error.rfind("error: GET /: cannot reach " + server_->url() + " (test): ", 0), 0u)
      << error;
  EXPECT_NE(error.find("SSL certificate problem"), std::string::npos) << error;
  EXPECT_NE(error.find("the server's certificate is not trusted by certificate-authority-data"),
            std::string::npos)
      << error;
  // The system bundle is no fallback: the configured CA alone is trusted (and it is not this one).
  config.ca_data.clear();
  config.ca_file = pki_->file("wrong-ca.crt");
  EXPECT_NE(get(config).find("not trusted by " + pki_->file("wrong-ca.crt")), std::string::npos);
}

TEST_F(TlsTest, InsecureSkipTlsVerifyAcceptsAnyCertificate) {
  RestConfig config;
  config.server = server_->url();
  config.ca_data = pki_->pem("wrong-ca.crt");
  config.insecure_skip_tls_verify = true;
  EXPECT_TRUE(answered(get(config))) << get(config);
}

TEST_F(TlsTest, TlsServerNameIsTheNameVerified) {
  RestConfig config;
  config.server = mtls_->url();
  config.ca_file = pki_->file("ca.crt");
  config.client_cert_file = pki_->file("client.crt");
  config.client_key_file = pki_->file("client.key");
  std::string by_ip = get(config);  // the certificate does not name 127.0.0.1
  EXPECT_NE(by_ip.find("does not name 127.0.0.1"), std::string::npos) << by_ip;
  config.tls_server_name = "api.stampede.test";
  EXPECT_TRUE(answered(get(config))) << get(config);
  config.tls_server_name = "other.stampede.test";
  EXPECT_NE(get(config).find("does not name other.stampede.test"), std::string::npos);
}

TEST_F(TlsTest, PresentsTheClientCertificateFromDataOrFiles) {
  RestConfig config;
  config.server = mtls_->url();
  config.ca_file = pki_->file("ca.crt");
  config.tls_server_name = "api.stampede.test";
  std::string without = get(config);
  EXPECT_EQ(without.rfind("error: ", 0), 0u) << without;
  EXPECT_NE(without.find("certificate required"), std::string::npos) << without;

  RestConfig data = config;
  data.client_cert_data = pki_->pem("client.crt");
  data.client_key_data = pki_->pem("client.key");
  EXPECT_TRUE(answered(get(data))) << get(data);

  RestConfig files = config;
  files.client_cert_file = pki_->file("client.crt");
  files.client_key_file = pki_->file("client.key");
  EXPECT_TRUE(answered(get(files))) << get(files);

  RestConfig bad = config;
  bad.client_cert_file = pki_->file("nope.crt");
  bad.client_key_file = pki_->file("client.key");
  std::string error = get(bad);
  EXPECT_NE(error.find("the client certificate or key cannot be used"), std::string::npos) << error;
}

}  // namespace
}  // namespace stampede::kube
