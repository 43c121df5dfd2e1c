// Drives an appmesh-mock server with the official AWS SDK for JavaScript v3 App Mesh client.
// Usage: node smoke.mjs <endpoint> <mesh name>. Prints one JSON line with what it saw;
// exits non-zero if any step did not behave as App Mesh does.
import {
  AppMeshClient,
  CreateMeshCommand,
  DescribeMeshCommand,
  ListMeshesCommand,
  NotFoundException,
} from "@aws-sdk/client-app-mesh";

const [endpoint, meshName] = process.argv.slice(2);
if (!endpoint || !meshName) {
  console.error("usage: node smoke.mjs <endpoint> <mesh name>");
  process.exit(2);
}

const client = new AppMeshClient({
  endpoint,
  region: "eu-central-1",
  credentials: { accessKeyId: "444455556666", secretAccessKey: "js-smoke-secret" },
  maxAttempts: 1,
});

const created = await client.send(new CreateMeshCommand({ meshName }));
const listed = await client.send(new ListMeshesCommand({}));

let notFound = null;
try {
  await client.send(new DescribeMeshCommand({ meshName: `${meshName}-absent` }));
} catch (error) {
  if (!(error instanceof NotFoundException)) throw error;
  notFound = {
    name: error.name,
    status: error.$metadata.httpStatusCode,
    message: error.message,
  };
}
if (notFound === null) throw new Error("DescribeMesh of a missing mesh did not fail");

console.log(
  JSON.stringify({
    created: {
      meshName: created.mesh.meshName,
      arn: created.mesh.metadata.arn,
      version: created.mesh.metadata.version,
      status: created.mesh.status.status,
      createdAtIsDate: created.mesh.metadata.createdAt instanceof Date,
    },
    listed: listed.meshes.map((ref) => ref.meshName),
    notFound,
  }),
);
