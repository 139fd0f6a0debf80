#include "targets/local/cli/kubeconfig_file.h"

#include "targets/kubernetes/base64.h"
#include "targets/local/api/kube/render_misc.h"
#include "targets/local/cli/runtime_file.h"

namespace stampede::local {

std::string kubeconfig_path(const std::string& state_dir) {
  return state_dir + "/kubeconfig";
}

std::string kubeconfig_text(const std::string& server, const std::string& token,
                            const std::string& ca_pem) {
  const std::string name = kKubeContext;
  std::string text = "apiVersion: v1\nkind: Config\n";
  text += "clusters:\n- name: " + name + "\n  cluster:\n    server: " + server + "\n";
  if (!ca_pem.empty())
    text += "    certificate-authority-data: " + stampede::kube::base64_encode(ca_pem) + "\n";
  text += "users:\n- name: " + name + "\n  user:\n    token: " + token + "\n";
  text += "contexts:\n- name: " + name + "\n  context:\n    cluster: " + name +
          "\n    user: " + name + "\n    namespace: default\n";
  text += "current-context: " + name + "\npreferences: {}\n";
  return text;
}

Status write_kubeconfig(const std::string& state_dir, const std::string& server,
                        const std::string& token, const std::string& ca_pem) {
  return write_private_file(kubeconfig_path(state_dir), kubeconfig_text(server, token, ca_pem));
}

}  // namespace stampede::local
