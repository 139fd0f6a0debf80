// TlsFront: the https endpoint of the local Kubernetes API. It listens on 127.0.0.1 (port 0: a
// free one), terminates TLS with a TlsIdentity and relays every connection's bytes to the API
// server's plain port on loopback, both ways, until either side closes — requests, answers,
// watches and followed logs alike. It exists because client-go sends kubeconfig credentials
// only over https: kubectl reaches `stampede up` here, with the same bearer token the control
// API takes. One io thread; thread-safe start/stop.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <thread>

#include "common/result.h"
#include "targets/local/api/kube/tls_identity.h"

namespace stampede::local::kube {

// Owns its io thread, acceptor and relayed connections (see above).
class TlsFront {
 public:
  // Listens and starts relaying to 127.0.0.1:`backend_port`. Errors: the identity cannot be
  // loaded, the port cannot be bound.
  static Result<std::unique_ptr<TlsFront>> start(const TlsIdentity& identity, uint16_t backend_port,
                                                 uint16_t port = 0);
  ~TlsFront();  // stop()
  TlsFront(const TlsFront&) = delete;
  TlsFront& operator=(const TlsFront&) = delete;

  uint16_t port() const { return port_; }
  // Stops accepting, closes every relayed connection and joins the thread; idempotent.
  void stop();

 private:
  TlsFront(uint16_t backend_port);
  void accept();

  boost::asio::io_context io_;
  boost::asio::ssl::context tls_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t backend_port_;
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace stampede::local::kube
