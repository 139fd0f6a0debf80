#include "targets/local/cli/kubeconfig_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "targets/local/api/kube/render_misc.h"

namespace stampede::local {

std::string kubeconfig_path(const std::string& state_dir) {
  return state_dir + "/kubeconfig";
}

std::string kubeconfig_text(const std::string& server, const std::string& token,
                            const std::string& ca_pem) {
  const std::string name = kKubeContext;
  std::string text = "apiVersion: v1\nkind: Config\n";
  text += "clusters:\n- name: " + name + "\n  cluster:\n    server: " + server + "\n";
  if (!ca_pem.empty()) text += "    certificate-authority-data: " + kube::base64(ca_pem) + "\n";
  text += "users:\n- name: " + name + "\n  user:\n    token: " + token + "\n";
  text += "contexts:\n- name: " + name + "\n  context:\n    cluster: " + name +
          "\n    user: " + name + "\n    namespace: default\n";
  text += "current-context: " + name + "\npreferences: {}\n";
  return text;
}

Status write_kubeconfig(const std::string& state_dir, const std::string& server,
                        const std::string& token, const std::string& ca_pem) {
  std::string path = kubeconfig_path(state_dir);
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error(tmp + ": " + std::strerror(errno));
  std::string text = kubeconfig_text(server, token, ca_pem);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Error(path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace stampede::local
