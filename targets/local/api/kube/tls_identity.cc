#include "targets/local/api/kube/tls_identity.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace stampede::local::kube {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

Error openssl_error(const std::string& what) {
  unsigned long code = ERR_get_error();
  char buf[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, buf, sizeof(buf));
  ERR_clear_error();
  return Error("TLS identity: " + what + ": " + buf);
}

Key make_key() {
  return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// A certificate for `subject_cn` with `key`, signed by `issuer_key` (`issuer` null: itself).
Cert make_cert(const char* subject_cn, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, bool ca) {
  Cert cert(X509_new());
  if (!cert) return nullptr;
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof(serial)) != 1) return nullptr;
  serial[0] &= 0x7f;  // a positive serial
  BIGNUM* bn = BN_bin2bn(serial, sizeof(serial), nullptr);
  bool ok = bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) != nullptr;
  BN_free(bn);
  ok = ok && X509_set_version(cert.get(), 2) == 1;
  ok = ok && X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr;
  ok = ok && X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600) != nullptr;
  X509_NAME* name = X509_get_subject_name(cert.get());
  ok = ok && X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                        reinterpret_cast<const unsigned char*>("stampede"), -1, -1,
                                        0) == 1;
  ok = ok && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                        reinterpret_cast<const unsigned char*>(subject_cn), -1, -1,
                                        0) == 1;
  X509* signer = issuer != nullptr ? issuer : cert.get();
  ok = ok && X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1;
  ok = ok && X509_set_pubkey(cert.get(), key) == 1;
  if (ca) {
    ok = ok && add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    ok = ok && add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    ok = ok && add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    ok = ok && add_extension(cert.get(), signer, NID_key_usage,
                             "critical,digitalSignature,keyEncipherment");
    ok = ok && add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    ok =
        ok && add_extension(cert.get(), signer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  }
  ok = ok && add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  ok = ok && X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0;
  return ok ? std::move(cert) : nullptr;
}

Result<std::string> pem_of(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return openssl_error("PEM certificate");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

Result<std::string> pem_of(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return openssl_error("PEM key");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

}  // namespace

Result<TlsIdentity> make_tls_identity() {
  Key ca_key = make_key();
  Key server_key = make_key();
  if (!ca_key || !server_key) return openssl_error("key generation");
  Cert ca = make_cert("stampede-local-ca", ca_key.get(), nullptr, ca_key.get(), true);
  if (!ca) return openssl_error("CA certificate");
  Cert server = make_cert("stampede-local", server_key.get(), ca.get(), ca_key.get(), false);
  if (!server) return openssl_error("server certificate");
  auto ca_pem = pem_of(ca.get());
  auto server_pem = pem_of(server.get());
  auto key_pem = pem_of(server_key.get());
  if (!ca_pem.ok()) return ca_pem.error();
  if (!server_pem.ok()) return server_pem.error();
  if (!key_pem.ok()) return key_pem.error();
  TlsIdentity id;
  id.ca_pem = ca_pem.value();
  id.certificate_pem = server_pem.value() + ca_pem.value();
  id.key_pem = key_pem.value();
  return id;
}

}  // namespace stampede::local::kube
