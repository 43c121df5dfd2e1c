// A fault through the control endpoint, then the AWS SDK for JavaScript v3 meets it: its
// standard retries must treat the injected TooManyRequestsException as AWS's throttle.
// Usage: node faults.mjs <endpoint>. Prints one JSON line: what the SDK saw, and the server's
// call log as GET /_appmesh_mock/calls returned it.
import { AppMeshClient, ListMeshesCommand } from "@aws-sdk/client-app-mesh";

const [endpoint] = process.argv.slice(2);
if (!endpoint) {
  console.error("usage: node faults.mjs <endpoint>");
  process.exit(2);
}
const control = (path, init = {}) =>
  fetch(`${endpoint}/_appmesh_mock/${path}`, {
    ...init,
    headers: { "Content-Type": "application/json" },
  }).then(async (response) => {
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  });

await control("calls", { method: "DELETE" });
const fault = await control("faults", {
  method: "POST",
  body: JSON.stringify({ operation: "ListMeshes", times: 2 }),
});

const client = new AppMeshClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "123456789012", secretAccessKey: "js-fault-secret" },
  maxAttempts: 3,
});
const listed = await client.send(new ListMeshesCommand({}));
const { calls } = await control("calls");
const { faults } = await control("faults");

console.log(
  JSON.stringify({
    meshes: listed.meshes.map((ref) => ref.meshName),
    attempts: listed.$metadata.attempts,
    calls: calls.map((call) => [call.operation, call.status, call.error, call.fault]),
    faultId: fault.id,
    hits: faults.find((found) => found.id === fault.id).hits,
  }),
);
