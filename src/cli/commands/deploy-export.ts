import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { invalidArgument, notFound } from '../../errors/index.js';
import type { ExportOptions, ExportTarget } from '../../serving/export/index.js';
import type { Output } from '../output.js';

interface ExportFlags {
  file: string;
  target: string;
  image?: string;
  namespace?: string;
  minReplicas?: string;
  maxReplicas?: string;
  cpuTarget?: string;
  cpu?: string;
  memory?: string;
  memoryLimit?: string;
  envFromSecret?: string;
  storageUri?: string;
  out?: string;
}

function integerFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw invalidArgument(`${flag} must be a whole number, got '${value}'`);
  return Number(value);
}

function exportOptions(flags: ExportFlags): ExportOptions {
  return {
    target: flags.target as ExportTarget,
    image: flags.image,
    namespace: flags.namespace,
    minReplicas: integerFlag(flags.minReplicas, '--min-replicas'),
    maxReplicas: integerFlag(flags.maxReplicas, '--max-replicas'),
    cpuTargetPercent: integerFlag(flags.cpuTarget, '--cpu-target'),
    cpu: flags.cpu,
    memory: flags.memory,
    memoryLimit: flags.memoryLimit,
    envFromSecret: flags.envFromSecret,
    storageUri: flags.storageUri,
  };
}

/** Writes a file atomically: a reader (or `kubectl apply -f dir`) never sees half of it. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

/**
 * `osprey deploy export -f deployment.yaml --target k8s|kserve`: Kubernetes or KServe manifests
 * for a deployment spec, as YAML on stdout or one file per object with `--out <dir>`.
 */
export function deployExportCommand(deploy: Command, output: Output): void {
  deploy
    .command('export')
    .description(
      'write Kubernetes (Deployment, Service, HPA) or KServe (ServingRuntime, InferenceService) manifests',
    )
    .requiredOption('-f, --file <path>', 'the deployment spec (YAML)')
    .requiredOption('--target <target>', 'k8s or kserve')
    .option('--image <image>', 'container image with the osprey CLI (default osprey:0.1.0)')
    .option('-n, --namespace <namespace>', 'namespace of every object (default: none, kubectl picks)')
    .option('--min-replicas <n>', 'replicas the autoscaler keeps at least (default 1)')
    .option('--max-replicas <n>', 'replicas at most; equal to min means no autoscaler (default 4)')
    .option('--cpu-target <percent>', 'average CPU utilisation the autoscaler aims for (default 70)')
    .option('--cpu <quantity>', 'CPU request (default: workers × threads of the spec, else 500m)')
    .option('--memory <quantity>', 'memory request (default 512Mi)')
    .option('--memory-limit <quantity>', 'memory limit (default 1Gi)')
    .option('--env-from-secret <name>', 'a Secret holding OSPREY_DB_URL, S3 credentials, … as environment')
    .option('--storage-uri <uri>', 'kserve: a model location KServe downloads to /mnt/models')
    .option('-o, --out <dir>', 'write one file per object into this directory instead of stdout')
    .action(async (flags: ExportFlags) => {
      const [{ parseDeploymentSpec }, { exportManifests, localPaths, manifestFileName, toYamlDocuments }] =
        await Promise.all([
          import('../../serving/deployment/index.js'),
          import('../../serving/export/index.js'),
        ]);
      let text: string;
      try {
        text = await readFile(flags.file, 'utf8');
      } catch {
        throw notFound(`deployment spec not found: ${flags.file}`);
      }
      // Parsed, not loaded: relative paths must stay relative, since they will be read in the pod.
      const spec = parseDeploymentSpec(text, flags.file);
      const objects = exportManifests(spec, exportOptions(flags));
      for (const path of localPaths(spec)) {
        output.err(`warning: ${path} is a local path; the image must contain it (or use a models:/ URI)`);
      }
      if (flags.out === undefined) {
        output.out(toYamlDocuments(objects).trimEnd());
        return;
      }
      await mkdir(flags.out, { recursive: true });
      for (const [i, object] of objects.entries()) {
        const file = join(flags.out, manifestFileName(object, i));
        await writeAtomic(file, toYamlDocuments([object]));
        output.out(file);
      }
    });
}
