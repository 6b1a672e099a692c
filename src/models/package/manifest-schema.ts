import { z } from 'zod';
import { DATATYPES, type Datatype } from './datatypes.js';
import { isSafeRelativePath } from './package-path.js';

/** Name of the manifest file at the root of a model package. */
export const MANIFEST_FILE = 'osprey-model.yaml';

/** Version of the manifest layout this code writes and reads. */
export const FORMAT_VERSION = 1;

const packageFile = z
  .string()
  .refine(isSafeRelativePath, 'must be a relative path inside the package (no "..", leading "/" or "\\")');

/** One named tensor of a signature; -1 marks a variable dimension (OIP `$metadata_tensor`). */
export const TensorSpecSchema = z
  .object({
    name: z.string().min(1),
    datatype: z.enum(DATATYPES as [Datatype, ...Datatype[]]),
    shape: z.array(z.number().int().min(-1, 'dimensions are sizes >= 0, or -1 for a variable dimension')),
    /** Column names of a tabular input [N, F]: column j feeds feature j. */
    columns: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (!spec.columns) return;
    if (spec.shape.length !== 2 || spec.shape[1] !== spec.columns.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['columns'],
        message: `${spec.columns.length} columns need shape [-1, ${spec.columns.length}], got [${spec.shape.join(', ')}]`,
      });
    }
    const dup = duplicate(spec.columns);
    if (dup) ctx.addIssue({ code: 'custom', path: ['columns'], message: `duplicate column '${dup}'` });
  });

const specList = z.array(TensorSpecSchema).superRefine((specs, ctx) => {
  const dup = duplicate(specs.map((s) => s.name));
  if (dup) ctx.addIssue({ code: 'custom', message: `duplicate tensor name '${dup}'` });
});

/** Named inputs and outputs a model accepts and returns. */
export const SignatureSchema = z
  .object({ inputs: specList.min(1, 'a signature needs at least one input'), outputs: specList.default([]) })
  .strict();

/** Provenance of a package: what trained it, on which data, how well, when, and with which Osprey. */
export const MetadataSchema = z
  .object({
    framework: z.string().min(1).optional(),
    runId: z.string().min(1).optional(),
    datasetDigests: z.array(z.string().min(1)).optional(),
    metrics: z.record(z.string(), z.number()).optional(),
    createdAt: z.iso.datetime({ offset: true }),
    ospreyVersion: z.string().min(1),
  })
  .loose();

/** Flavor configurations: where the model lives inside the package and how to read it. */
export const FlavorConfigSchemas = {
  onnx: z.object({ file: packageFile }).strict(),
  tfjs: z.object({ file: packageFile, format: z.enum(['layers', 'graph']) }).strict(),
  js: z.object({ module: packageFile, export: z.string().min(1) }).strict(),
  remote: z
    .object({
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
      model: z.string().min(1),
      version: z.string().min(1).optional(),
    })
    .strict(),
} as const;

const common = {
  formatVersion: z.literal(FORMAT_VERSION),
  signature: SignatureSchema.optional(),
  inputExample: packageFile.optional(),
  metadata: MetadataSchema,
};

/** The whole `osprey-model.yaml` manifest: one flavor plus its configuration under the flavor's name. */
export const ManifestSchema = z.discriminatedUnion('flavor', [
  z.object({ flavor: z.literal('onnx'), onnx: FlavorConfigSchemas.onnx, ...common }).strict(),
  z.object({ flavor: z.literal('tfjs'), tfjs: FlavorConfigSchemas.tfjs, ...common }).strict(),
  z.object({ flavor: z.literal('js'), js: FlavorConfigSchemas.js, ...common }).strict(),
  z.object({ flavor: z.literal('remote'), remote: FlavorConfigSchemas.remote, ...common }).strict(),
]);

export type TensorSpec = z.infer<typeof TensorSpecSchema>;
export type Signature = z.infer<typeof SignatureSchema>;
export type ModelMetadata = z.infer<typeof MetadataSchema>;
export type ModelManifest = z.infer<typeof ManifestSchema>;
export type Flavor = ModelManifest['flavor'];
export type OnnxFlavorConfig = z.infer<typeof FlavorConfigSchemas.onnx>;
export type TfjsFlavorConfig = z.infer<typeof FlavorConfigSchemas.tfjs>;
export type JsFlavorConfig = z.infer<typeof FlavorConfigSchemas.js>;
export type RemoteFlavorConfig = z.infer<typeof FlavorConfigSchemas.remote>;

/** The flavors a manifest can name. */
export const FLAVORS: readonly Flavor[] = Object.freeze(['onnx', 'tfjs', 'js', 'remote']);

function duplicate(values: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) return v;
    seen.add(v);
  }
  return undefined;
}
