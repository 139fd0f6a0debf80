#include "engine/http/raw_test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <utility>

namespace stampede {
namespace {

// Waits up to 20 ms for `fd` to become readable; the callers re-check their stop flag.
bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 20) > 0;
}

size_t content_length(const std::string& head) {
  size_t at = 0;
  while ((at = head.find('\n', at)) != std::string::npos) {
    ++at;
    if (strncasecmp(head.c_str() + at, "content-length:", 15) == 0) {
      return std::strtoul(head.c_str() + at + 15, nullptr, 10);
    }
  }
  return 0;
}

}  // namespace

RawTestServer::RawTestServer(Responder responder) : responder_(std::move(responder)) {
  listen_fd_.reset(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  bind(listen_fd_.get(), reinterpret_cast<sockaddr*>(&addr), len);
  listen(listen_fd_.get(), 128);
  getsockname(listen_fd_.get(), reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

RawTestServer::~RawTestServer() {
  stop_ = true;
  acceptor_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (std::thread& t : threads_) t.join();
}

std::vector<std::string> RawTestServer::requests() {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void RawTestServer::accept_loop() {
  while (!stop_) {
    if (!readable(listen_fd_.get())) continue;
    UniqueFd fd(accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!fd.valid()) continue;
    int connection = ++connections_;
    std::lock_guard<std::mutex> lock(mu_);
    threads_.emplace_back(
        [this, connection](UniqueFd owned) { serve(std::move(owned), connection); }, std::move(fd));
  }
}

void RawTestServer::serve(UniqueFd fd, int connection) {
  std::string buffer;
  int index = 0;
  char chunk[65536];
  while (!stop_) {
    size_t end = buffer.find("\r\n\r\n");
    if (end != std::string::npos && buffer.size() >= end + 4 + content_length(buffer)) {
      size_t size = end + 4 + content_length(buffer);
      std::string request = buffer.substr(0, size);
      buffer.erase(0, size);
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(request);
      }
      Reply reply = responder_(request, connection, ++index);
      if (reply.silent) continue;
      size_t piece = reply.piece > 0 ? reply.piece : reply.bytes.size();
      for (size_t at = 0; at < reply.bytes.size(); at += piece) {
        if (at > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        send(fd.get(), reply.bytes.data() + at, std::min(piece, reply.bytes.size() - at),
             MSG_NOSIGNAL);
      }
      if (reply.reset) {
        linger l{1, 0};
        setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &l, sizeof(l));
      }
      if (reply.close || reply.reset) return;
      continue;
    }
    if (!readable(fd.get())) continue;
    ssize_t n = recv(fd.get(), chunk, sizeof(chunk), 0);
    if (n <= 0) return;
    buffer.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace stampede
