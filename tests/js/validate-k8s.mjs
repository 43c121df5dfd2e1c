// Validates Kubernetes manifests (a JSON array on stdin) against the Gateway API and Istio CRD
// schemas that @kubernetes-models/gateway-api and @kubernetes-models/istio ship (run from
// tests/test_migration_schemas.py). Prints a JSON array: null for a valid document, else the
// validation error's message.
import * as gateway from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1";
import * as gatewayAlpha from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2";
import * as istio from "@kubernetes-models/istio/networking.istio.io/v1";

const models = {
  "gateway.networking.k8s.io/v1": gateway,
  "gateway.networking.k8s.io/v1alpha2": gatewayAlpha,
  "networking.istio.io/v1": istio,
};

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = JSON.parse(input).map((document) => {
  const model = (models[document.apiVersion] || {})[document.kind];
  if (!model) return `no model for ${document.apiVersion} ${document.kind}`;
  try {
    new model(document).validate();
    return null;
  } catch (error) {
    return String(error.message || error);
  }
});
process.stdout.write(JSON.stringify(results));
