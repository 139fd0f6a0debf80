#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>
#include <vector>

namespace stampede::http::internal {

// N io_contexts, each run by its own thread (so a connection's handlers never run
// concurrently). Owned by the Server; start() once, stop() from any thread but the io threads.
class IoThreads {
 public:
  explicit IoThreads(unsigned count);
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;
  ~IoThreads();  // stop(), then destroys the contexts and whatever work they still hold

  std::vector<boost::asio::io_context*> contexts() const;
  void start();
  // Runs what is already queued on each context, then stops and joins the threads. Idempotent.
  void stop();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<Guard> guards_;
  std::vector<std::thread> threads_;
};

}  // namespace stampede::http::internal
