// Validates rendered objects the way a Kubernetes 1.30 API server would: the OpenAPI schema
// (k8s_schema.mjs) and the built-in validation rules that matter here (apiserver_rules.mjs).
import { apiServerErrors } from './apiserver_rules.mjs';
import { schemaErrors } from './k8s_schema.mjs';

// Returns every error as one line: "<Kind>/<name>: <path>: <message>".
export function kubernetesErrors(objects) {
  return [...schemaErrors(objects), ...apiServerErrors(objects)].map(
    (e) => `${e.object}: ${e.path || '(object)'}: ${e.message}`);
}
